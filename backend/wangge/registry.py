"""Every model module, imported once so that Base.metadata knows all tables and every foreign key resolves.

Whatever works on the tables outside the app (the migrations' environment, the `wangge` command's synchronous
sessions) imports this first: a User refers to departments and grids, and SQLAlchemy resolves those references
only when their tables are registered."""

from __future__ import annotations

from wangge import idempotency as _idempotency  # noqa: F401
from wangge import workcalendar as _workcalendar  # noqa: F401
from wangge.accounts import models as _accounts  # noqa: F401
from wangge.assessment import models as _assessment  # noqa: F401
from wangge.audit import models as _audit  # noqa: F401
from wangge.earlywarning import models as _earlywarning  # noqa: F401
from wangge.emergencies import models as _emergencies  # noqa: F401
from wangge.fieldwork import models as _fieldwork  # noqa: F401
from wangge.hierarchy import models as _hierarchy  # noqa: F401
from wangge.matters import models as _matters  # noqa: F401
from wangge.notify import models as _notify  # noqa: F401
from wangge.open311 import models as _open311  # noqa: F401
from wangge.preparedness import models as _preparedness  # noqa: F401
from wangge.registries import models as _registries  # noqa: F401
from wangge.station import models as _station  # noqa: F401
from wangge.sweeps import models as _sweeps  # noqa: F401
