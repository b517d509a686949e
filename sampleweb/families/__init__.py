"""URL layout and page markup of the CMS families the sample web imitates (see shared/domain/site-patterns.md).

Each renderer fills in `Column.path`, `Doc.path` and `Attachment.path` and returns the site's route table:
``{path_with_query: page}`` where a page is a callable returning (content type, body text or bytes); a
``("POST", path)`` key takes the form as its argument.
"""
from __future__ import annotations

from sampleweb.families.hanweb import Hanweb
from sampleweb.families.trs import Trs
from sampleweb.families.ucap import Ucap

RENDERERS = {"trs": Trs, "hanweb": Hanweb, "ucap": Ucap}
