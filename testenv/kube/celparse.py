"""CEL syntax: rule text → the expression tree cel-go's parser builds (v0.16), macros expanded.

The cost estimator (celestimate.py) walks the same tree as cel-go's checker/cost.go, so the shapes
matter, not just the meaning: operators are calls named as cel-go names them (`_&&_`, `@in`,
`_[_]`, …), `has(x.f)` is a presence-test select, and `all`/`exists`/`exists_one`/`map`/`filter` are
comprehensions over the accumulator `__result__` built exactly as parser/macro.go builds them
(their cost depends on that: the loop condition and step are charged once per element).
Like cel-go, `-` directly before a number is part of the literal, and an even run of `!` or `-`
cancels out.
"""
import re

ACCUMULATOR = "__result__"


class CelSyntaxError(ValueError):
    pass


class Node:
    """One expression: kind is const, ident, select, call, list, map, comprehension."""

    _ids = 0

    def __init__(self, kind, **fields):
        Node._ids += 1
        self.id, self.kind = Node._ids, kind
        self.__dict__.update(fields)

    def __repr__(self):
        shown = {k: v for k, v in self.__dict__.items() if k not in ("id", "kind")}
        return f"{self.kind}{shown}"


def const(kind, value):
    return Node("const", type=kind, value=value)


def ident(name):
    return Node("ident", name=name)


def select(operand, field, test_only=False):
    return Node("select", operand=operand, field=field, test_only=test_only)


def call(function, args, target=None):
    return Node("call", function=function, target=target, args=list(args))


def comprehension(var, iter_range, init, condition, step, result):
    return Node("comprehension", iter_var=var, iter_range=iter_range, accu_var=ACCUMULATOR,
                accu_init=init, loop_condition=condition, loop_step=step, result=result)


# ---- lexer ----

RESERVED = {"as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
            "package", "namespace", "return", "var", "void", "while"}
TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n\f]+|//[^\n]*)
  | (?P<string>(?:[rR][bB]?|[bB][rR]?)?(?:'''|\"\"\"|'|"))
  | (?P<number>0[xX][0-9a-fA-F]+[uU]?|(?:[0-9]+\.[0-9]+|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|[0-9]+[uU]?)
  | (?P<name>[_a-zA-Z][_a-zA-Z0-9]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||[-+*/%!<>?:.,()\[\]{}])
""", re.VERBOSE)
ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
           "'": "'", '"': '"', "`": "`", "?": "?"}


def _string(text, pos, prefix_and_quote):
    """(token, end): a string or bytes literal starting at pos."""
    quote = prefix_and_quote.lstrip("rRbB")
    prefix = prefix_and_quote[:len(prefix_and_quote) - len(quote)].lower()
    raw, is_bytes = "r" in prefix, "b" in prefix
    i, out = pos + len(prefix_and_quote), []
    while True:
        if i >= len(text) or (len(quote) == 1 and text[i] in "\r\n"):
            raise CelSyntaxError("unterminated string")
        if text.startswith(quote, i):
            i += len(quote)
            break
        ch = text[i]
        if ch == "\\" and not raw:
            nxt = text[i + 1:i + 2]
            if nxt in ESCAPES:
                out.append(ESCAPES[nxt])
                i += 2
            elif nxt in ("x", "X", "u", "U"):
                width = {"x": 2, "X": 2, "u": 4, "U": 8}[nxt]
                digits = text[i + 2:i + 2 + width]
                if len(digits) != width or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                    raise CelSyntaxError("invalid escape")
                out.append(chr(int(digits, 16)))
                i += 2 + width
            elif re.fullmatch(r"[0-3][0-7][0-7]", text[i + 1:i + 4]):
                out.append(chr(int(text[i + 1:i + 4], 8)))
                i += 4
            else:
                raise CelSyntaxError("invalid escape")
        else:
            out.append(ch)
            i += 1
    value = "".join(out)
    if is_bytes:
        # \x and octal escapes are single bytes; other characters are their UTF-8 encoding
        data = b"".join(bytes([ord(c)]) if ord(c) < 256 and not raw else c.encode() for c in value)
        return ("bytes", data), i
    return ("string", value), i


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise CelSyntaxError(f"unexpected character {text[pos]!r}")
        kind = m.lastgroup
        if kind == "space":
            pos = m.end()
            continue
        if kind == "string":
            token, pos = _string(text, pos, m.group())
            tokens.append(token)
            continue
        value = m.group()
        if kind == "name":
            if value in ("true", "false"):
                tokens.append(("bool", value == "true"))
            elif value == "null":
                tokens.append(("null", None))
            elif value == "in":
                tokens.append(("op", "in"))
            elif value in RESERVED:
                raise CelSyntaxError(f"reserved identifier: {value}")
            else:
                tokens.append(("name", value))
        elif kind == "number":
            tokens.append(("number", value))
        else:
            tokens.append(("op", value))
        pos = m.end()
    tokens.append(("end", None))
    return tokens


def _number(text, negative):
    sign = "-" if negative else ""
    if text[-1] in "uU":
        if negative:
            raise CelSyntaxError("negative unsigned literal")
        return const("uint", int(text[:-1], 0))
    if text[:2] in ("0x", "0X"):
        return const("int", int(sign + text, 16))
    if any(c in text for c in ".eE"):
        return const("double", float(sign + text))
    return const("int", int(sign + text))


# ---- parser (recursive descent over CEL's grammar) ----

class Parser:
    def __init__(self, text):
        self.tokens, self.pos = tokenize(text), 0

    def peek(self, offset=0):
        return self.tokens[self.pos + offset]

    def is_op(self, *ops):
        kind, value = self.peek()
        return kind == "op" and value in ops

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, op):
        if not self.is_op(op):
            raise CelSyntaxError(f"expected {op!r}, found {self.peek()[1]!r}")
        self.take()

    def parse(self):
        expr = self.expr()
        if self.peek()[0] != "end":
            raise CelSyntaxError(f"unexpected {self.peek()[1]!r}")
        return expr

    def expr(self):
        condition = self.logical("||", self.and_)
        if not self.is_op("?"):
            return condition
        self.take()
        if_true = self.logical("||", self.and_)
        self.expect(":")
        return call("_?_:_", [condition, if_true, self.expr()])

    def and_(self):
        return self.logical("&&", self.relation)

    def logical(self, op, operand):
        terms = [operand()]
        while self.is_op(op):
            self.take()
            terms.append(operand())
        return self._balance(f"_{op}_", terms)

    def _balance(self, function, terms):
        """cel-go's parser builds a balanced tree from a chain of && or || (parser/helper.go)."""
        if len(terms) == 1:
            return terms[0]
        mid = (len(terms) + 1) // 2
        return call(function, [self._balance(function, terms[:mid]), self._balance(function, terms[mid:])])

    RELATIONS = {"<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in"}

    def relation(self):
        left = self.calc(0)
        while self.is_op(*self.RELATIONS):
            op = self.take()[1]
            left = call(self.RELATIONS[op], [left, self.calc(0)])
        return left

    LEVELS = [{"+": "_+_", "-": "_-_"}, {"*": "_*_", "/": "_/_", "%": "_%_"}]

    def calc(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.calc(level + 1)
        while self.is_op(*self.LEVELS[level]):
            op = self.take()[1]
            left = call(self.LEVELS[level][op], [left, self.calc(level + 1)])
        return left

    def unary(self):
        if self.is_op("-") and self.peek(1)[0] == "number":
            return self.member()  # a negative literal (primary reads the sign)
        if self.is_op("!", "-"):
            op, count = self.peek()[1], 0
            while self.is_op(op):
                self.take()
                count += 1
            operand = self.member()
            return operand if count % 2 == 0 else call("!_" if op == "!" else "-_", [operand])
        return self.member()

    def member(self):
        expr = self.primary()
        while True:
            if self.is_op("."):
                self.take()
                kind, name = self.take()
                if kind != "name":
                    raise CelSyntaxError("expected a field name after '.'")
                if self.is_op("("):
                    expr = self.receiver_call(expr, name, self.arguments())
                else:
                    expr = select(expr, name)
            elif self.is_op("["):
                self.take()
                index = self.expr()
                self.expect("]")
                expr = call("_[_]", [expr, index])
            elif self.is_op("{"):
                raise CelSyntaxError("message construction is not supported")
            else:
                return expr

    def arguments(self, close=")"):
        self.take()  # the opening bracket
        args = []
        while not self.is_op(close):
            args.append(self.expr())
            if not self.is_op(close):
                self.expect(",")
        self.take()
        return args

    def primary(self):
        kind, value = self.peek()
        if kind == "op" and value == "-":  # a negative number literal
            self.take()
            return _number(self.take()[1], True)
        if kind == "number":
            self.take()
            return _number(value, False)
        if kind in ("string", "bytes", "bool", "null"):
            self.take()
            return const({"bool": "bool", "null": "null"}.get(kind, kind), value)
        if kind == "name":
            self.take()
            if self.is_op("("):
                return self.global_call(value, self.arguments())
            return ident(value)
        if kind == "op" and value == ".":
            self.take()
            kind, value = self.take()
            if kind != "name":
                raise CelSyntaxError("expected an identifier after a leading '.'")
            return self.global_call(value, self.arguments()) if self.is_op("(") else ident(value)
        if kind == "op" and value == "(":
            self.take()
            inner = self.expr()
            self.expect(")")
            return inner
        if kind == "op" and value == "[":
            return Node("list", elements=self.arguments("]"))
        if kind == "op" and value == "{":
            self.take()
            entries = []
            while not self.is_op("}"):
                key = self.expr()
                self.expect(":")
                entries.append((key, self.expr()))
                if not self.is_op("}"):
                    self.expect(",")
            self.take()
            return Node("map", entries=entries)
        raise CelSyntaxError(f"unexpected {value!r}")

    # ---- macros (parser/macro.go) ----

    def global_call(self, name, args):
        if name == "has" and len(args) == 1:
            arg = args[0]
            if arg.kind != "select":
                raise CelSyntaxError("invalid argument to has() macro")
            return select(arg.operand, arg.field, test_only=True)
        return call(name, args)

    def receiver_call(self, target, name, args):
        quantifiers = {"all": 2, "exists": 2, "exists_one": 2, "filter": 2}
        if (name in quantifiers and len(args) == 2) or (name == "map" and len(args) in (2, 3)):
            if args[0].kind != "ident":
                raise CelSyntaxError("argument must be a simple name")
            return expand(name, target, args)
        return call(name, args, target=target)


def expand(name, target, args):
    var = args[0].name
    accu = lambda: ident(ACCUMULATOR)  # noqa: E731  (each use is its own node, as in cel-go)
    if name == "all":
        return comprehension(var, target, const("bool", True), call("@not_strictly_false", [accu()]),
                             call("_&&_", [accu(), args[1]]), accu())
    if name == "exists":
        return comprehension(var, target, const("bool", False),
                             call("@not_strictly_false", [call("!_", [accu()])]),
                             call("_||_", [accu(), args[1]]), accu())
    if name == "exists_one":
        return comprehension(var, target, const("int", 0), const("bool", True),
                             call("_?_:_", [args[1], call("_+_", [accu(), const("int", 1)]), accu()]),
                             call("_==_", [accu(), const("int", 1)]))
    if name == "map":
        fn = args[-1]
        step = call("_+_", [accu(), Node("list", elements=[fn])])
        if len(args) == 3:
            step = call("_?_:_", [args[1], step, accu()])
        return comprehension(var, target, Node("list", elements=[]), const("bool", True), step, accu())
    # filter
    step = call("_?_:_", [args[1], call("_+_", [accu(), Node("list", elements=[ident(var)])]), accu()])
    return comprehension(var, target, Node("list", elements=[]), const("bool", True), step, accu())


def parse(text):
    """The expression tree of a CEL rule, or CelSyntaxError."""
    return Parser(text).parse()
