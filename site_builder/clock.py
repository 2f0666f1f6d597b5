"""The one place the build reads the calendar: the day it builds for, which decides which talks
are upcoming. $SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds convention) fixes
it, for tests and for rebuilding an old site exactly; otherwise it is today's UTC date."""

from __future__ import annotations

import datetime as dt
import os

from site_builder.errors import SiteError


def build_day() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(dt.timezone.utc).date()
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise SiteError(f"SOURCE_DATE_EPOCH must be seconds since 1970 (got '{epoch}'); unset it "
                        "or set it to a number such as 1735689600") from None
