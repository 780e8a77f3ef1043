"""The JSONPath subset printer columns and selectable fields use: `.a.b`, `['a.b']`, `[0]`, `[*]`, and
filters like `[?(@.type=="Ready")]`, with the results in document order."""
import json
import re

_FILTER = re.compile(r"^\?\(\s*@((?:\.[^\s=!<>]+)*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*\)$")


class JSONPathError(ValueError):
    pass


def parse(expression):
    text = expression.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    if text.startswith("$"):
        text = text[1:]
    steps, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == ".":
            j = i + 1
            while j < len(text) and text[j] not in ".[":
                j += 1
            if j == i + 1:
                raise JSONPathError(f"invalid path {expression!r}")
            steps.append(("field", text[i + 1:j]))
            i = j
        elif ch == "[":
            depth, j = 0, i
            while j < len(text):
                if text[j] == "[":
                    depth += 1
                elif text[j] == "]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= len(text):
                raise JSONPathError(f"unterminated [ in {expression!r}")
            steps.append(_bracket(text[i + 1:j].strip(), expression))
            i = j + 1
        else:
            raise JSONPathError(f"unexpected {ch!r} in {expression!r}")
    return steps


def _bracket(inner, expression):
    if inner == "*":
        return ("all",)
    if re.fullmatch(r"-?\d+", inner):
        return ("index", int(inner))
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
        return ("field", inner[1:-1])
    m = _FILTER.match(inner)
    if m:
        path = [("field", p) for p in m.group(1).split(".") if p]
        literal = m.group(3)
        if literal is not None:
            literal = literal.strip()
            if literal[0] in "'\"":
                literal = literal[1:-1]
            else:
                try:
                    literal = json.loads(literal)
                except ValueError:
                    pass
        return ("filter", path, m.group(2), literal)
    raise JSONPathError(f"unsupported expression [{inner}] in {expression!r}")


def _apply(nodes, step):
    out = []
    for node in nodes:
        if step[0] == "field":
            if isinstance(node, dict) and step[1] in node:
                out.append(node[step[1]])
        elif step[0] == "index":
            if isinstance(node, list) and -len(node) <= step[1] < len(node):
                out.append(node[step[1]])
        elif step[0] == "all":
            if isinstance(node, list):
                out.extend(node)
            elif isinstance(node, dict):
                out.extend(node.values())
        elif step[0] == "filter" and isinstance(node, list):
            out.extend(item for item in node if _keep(item, step))
    return out


def _keep(item, step):
    _, path, op, literal = step
    values = [item]
    for sub in path:
        values = _apply(values, sub)
    if op is None:
        return bool(values)
    if not values:
        return False
    value = values[0]
    try:
        return {"==": value == literal, "!=": value != literal, "<": value < literal, ">": value > literal,
                "<=": value <= literal, ">=": value >= literal}[op]
    except TypeError:
        return False


def find(obj, expression):
    nodes = [obj]
    for step in parse(expression):
        nodes = _apply(nodes, step)
    return nodes
