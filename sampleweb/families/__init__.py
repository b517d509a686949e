"""URL layout and page markup of the CMS families the sample web imitates (see shared/domain/site-patterns.md).

Each renderer fills in `Column.path`, `Doc.path` and `Attachment.path` and returns the site's route table:
``{path_with_query: page}`` where a page is a callable returning (content type, body text or bytes); a
``("POST", path)`` key takes the form as its argument.
"""
from __future__ import annotations

from sampleweb.families.epoint import Epoint
from sampleweb.families.gkmlpt import Gkmlpt
from sampleweb.families.hanweb import Hanweb
from sampleweb.families.trs import Trs, TrsApi
from sampleweb.families.ucap import Ucap
from sampleweb.families.vendor import Vendor

RENDERERS = {"trs": Trs, "hanweb": Hanweb, "ucap": Ucap, "epoint": Epoint, "trsapi": TrsApi, "gkmlpt": Gkmlpt,
             "vendor": Vendor}
# The registry's adapter for each sample family; None means "not named: detect it from the home page".
ADAPTER_OF = {"trs": "trs", "hanweb": "hanweb", "ucap": "ucap", "epoint": "epoint", "trsapi": "trs", "gkmlpt": "gkmlpt",
              "vendor": None}
