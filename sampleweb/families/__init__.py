"""URL layout and page markup of the CMS families the sample web imitates (see shared/domain/site-patterns.md).

Each renderer fills in `Column.path`, `Doc.path` and `Attachment.path` and returns the site's route table:
``{path_with_query: page}`` where a page is a callable returning (content type, body text or bytes); a
``("POST", path)`` key takes the form as its argument. A route for "/" replaces the server's plain home page.

Optional renderer attributes: `registry_entry`, the path the registry names (default: `entry`, the disclosure entry;
the aspx family is registered by its portal's home page), and `hidden_fields(doc)`, the fields the family's page of a
document does not show, which the ground truth therefore gives as None (sampleweb.truth).
"""
from __future__ import annotations

from gongkai.sampleweb.families.aspx import Aspx
from gongkai.sampleweb.families.epoint import Epoint
from gongkai.sampleweb.families.gkmlpt import Gkmlpt
from gongkai.sampleweb.families.hanweb import Hanweb
from gongkai.sampleweb.families.trs import Trs, TrsApi
from gongkai.sampleweb.families.trsprov import TrsProv
from gongkai.sampleweb.families.ucap import Ucap
from gongkai.sampleweb.families.vendor import Vendor

RENDERERS = {"trs": Trs, "hanweb": Hanweb, "ucap": Ucap, "epoint": Epoint, "trsapi": TrsApi, "gkmlpt": Gkmlpt,
             "vendor": Vendor, "aspx": Aspx, "trsprov": TrsProv}
# The registry's adapter for each sample family; None means "not named: detect it from the home page".
ADAPTER_OF = {"trs": "trs", "hanweb": "hanweb", "ucap": "ucap", "epoint": "epoint", "trsapi": "trs", "gkmlpt": "gkmlpt",
              "vendor": None, "aspx": None, "trsprov": None}
