"""Kubernetes time values: metav1.Time (seconds), metav1.MicroTime (exactly six fractional digits) and
the human durations of `kubectl get` Age columns.

MicroTime is strict on the real server (it parses with the layout 2006-01-02T15:04:05.000000Z07:00), so a
Lease renewTime without microseconds is a 400 there; it is here too, so clients learn to send them.
"""
import datetime
import re

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_MICRO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$")
MICRO_LAYOUT = "2006-01-02T15:04:05.000000Z07:00"
TIME_LAYOUT = "2006-01-02T15:04:05Z07:00"


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def micro(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(text):
    """An RFC 3339 timestamp (fraction optional) as an aware datetime; ValueError when it is not one."""
    m = _RFC3339.match(text) if isinstance(text, str) else None
    if not m:
        raise ValueError(f'parsing time "{text}" as "{TIME_LAYOUT}": cannot parse "{text}" as "2006"')
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction = (m.group(7) or ".0")[1:7].ljust(6, "0")
    zone = m.group(8)
    if zone in ("Z", "z"):
        tz = datetime.timezone.utc
    else:
        sign = 1 if zone[0] == "+" else -1
        tz = datetime.timezone(sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    return datetime.datetime(year, month, day, hour, minute, second, int(fraction), tzinfo=tz)


def normalize_time(text):
    """metav1.Time through JSON: any RFC 3339 in, whole seconds in UTC out."""
    if text is None:
        return None
    return rfc3339(parse(text))


def normalize_micro(text):
    """metav1.MicroTime through JSON: exactly six fractional digits in, UTC out."""
    if text is None:
        return None
    if not isinstance(text, str) or not _MICRO.match(text):
        raise ValueError(f'parsing time "{text}" as "{MICRO_LAYOUT}": cannot parse "{text}" as "{MICRO_LAYOUT}"')
    return micro(parse(text))


def _pair(major, major_unit, minor, minor_unit):
    return f"{major}{major_unit}" if minor == 0 else f"{major}{major_unit}{minor}{minor_unit}"


def human_duration(seconds):
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes, hours, days = s // 60, s // 3600, s // 86400
    if minutes < 10:
        return _pair(minutes, "m", s % 60, "s")
    if minutes < 180:
        return f"{minutes}m"
    if hours < 8:
        return _pair(hours, "h", minutes % 60, "m")
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        return _pair(days, "d", hours % 24, "h")
    if hours < 24 * 365 * 2:
        return f"{days}d"
    if hours < 24 * 365 * 8:
        return _pair(days // 365, "y", days % 365, "d")
    return f"{days // 365}y"


def age(timestamp, at=None):
    """The Age cell for a creationTimestamp string."""
    try:
        then = parse(timestamp)
    except ValueError:
        return "<invalid>"
    return human_duration(((at or now()) - then).total_seconds())
