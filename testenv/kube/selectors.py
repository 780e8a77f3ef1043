"""Label and field selectors: `labelSelector=a=b,c!=d,e in (x,y),!f` and `fieldSelector=metadata.name=x`.
Field selectors only work on the fields a kind declares selectable; anything else is the 400
"field label not supported" of the real server.
"""
import re

from .errors import bad_request
from .objectmeta import qualified_name_errors

_TOKEN = re.compile(r"\s*(==|!=|=|\(|\)|,|!|>|<|[^\s=!(),<>]+)")


class Selector:
    def __init__(self, requirements):
        self.requirements = requirements  # (key, operator, value(s))

    @property
    def empty(self):
        return not self.requirements


class LabelSelector(Selector):
    def matches(self, labels):
        labels = labels or {}
        for key, op, values in self.requirements:
            present, value = key in labels, labels.get(key)
            if op == "exists" and not present:
                return False
            if op == "!" and present:
                return False
            if op in ("=", "==", "in") and (not present or value not in values):
                return False
            if op in ("!=", "notin") and present and value in values:
                return False
            if op in (">", "<"):
                try:
                    number, bound = int(value), int(values[0])
                except (TypeError, ValueError):
                    return False
                if not present or (op == ">" and not number > bound) or (op == "<" and not number < bound):
                    return False
        return True


def _tokens(text):
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise bad_request(f"unable to parse requirement: found '{text[pos:]}', expected: identifier")
        tokens.append(m.group(1))
        pos = m.end()
    return tokens


def parse_labels(text):
    """labels.Parse; errors are 400 BadRequest like the real server's."""
    if not text or not text.strip():
        return LabelSelector([])
    tokens, i, requirements = _tokens(text), 0, []

    def fail(found, expected):
        raise bad_request(f"unable to parse requirement: found '{found}', expected: {expected}")

    while i < len(tokens):
        if tokens[i] == "!":
            if i + 1 >= len(tokens):
                fail("", "identifier")
            requirements.append((tokens[i + 1], "!", []))
            i += 2
        else:
            key = tokens[i]
            if key in ("=", "==", "!=", "(", ")", ",", ">", "<"):
                fail(key, "!, identifier, or 'end of string'")
            i += 1
            if i >= len(tokens) or tokens[i] == ",":
                requirements.append((key, "exists", []))
            elif tokens[i] in ("=", "==", "!="):
                op = tokens[i]
                i += 1
                value = ""
                if i < len(tokens) and tokens[i] not in (",",):
                    value = tokens[i]
                    i += 1
                requirements.append((key, op, [value]))
            elif tokens[i] in (">", "<"):
                op = tokens[i]
                if i + 1 >= len(tokens) or not re.fullmatch(r"-?\d+", tokens[i + 1]):
                    fail(tokens[i + 1] if i + 1 < len(tokens) else "", "an integer")
                requirements.append((key, op, [tokens[i + 1]]))
                i += 2
            elif tokens[i] in ("in", "notin"):
                op = tokens[i]
                i += 1
                if i >= len(tokens) or tokens[i] != "(":
                    fail(tokens[i] if i < len(tokens) else "", "'('")
                i += 1
                values = []
                while i < len(tokens) and tokens[i] != ")":
                    if tokens[i] != ",":
                        values.append(tokens[i])
                    i += 1
                if i >= len(tokens):
                    fail("", "')'")
                i += 1
                requirements.append((key, op, values))
            else:
                fail(tokens[i], "'=', '!=', '==', 'in', notin'")
            _check_key(key)
        if i < len(tokens):
            if tokens[i] != ",":
                fail(tokens[i], "','")
            i += 1
    return LabelSelector(requirements)


def _check_key(key):
    problems = qualified_name_errors(key)
    if problems:
        raise bad_request(f"unable to parse requirement: values[0][{key}]: Invalid value: \"{key}\": {problems[0]}")


class FieldSelector(Selector):
    def matches(self, fields):
        for field, op, value in self.requirements:
            actual = fields.get(field, "")
            if (op == "!=") == (actual == value):
                return False
        return True


def _split_unescaped(text, sep):
    parts, current, escaped = [], "", False
    for ch in text:
        if escaped:
            current += "\\" + ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == sep:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def _unescape(text):
    return re.sub(r"\\(.)", r"\1", text)


def parse_fields(text, supported):
    """fields.ParseSelector, then the kind's field label check."""
    if not text or not text.strip():
        return FieldSelector([])
    requirements = []
    for part in _split_unescaped(text, ","):
        m = re.match(r"^([^=!]*)(!=|==|=)(.*)$", part)
        if not m:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
        field, op, value = m.group(1).strip(), m.group(2), _unescape(m.group(3))
        if field not in supported:
            raise bad_request(f"field label not supported: {field}")
        requirements.append((field, "!=" if op == "!=" else "=", value))
    return FieldSelector(requirements)
