"""CEL syntax: rule text → the expression tree cel-go's parser builds (v0.16.1), macros expanded.

The cost estimator (celestimate.py) walks the same tree as cel-go's checker/cost.go, so the shapes
matter, not just the meaning: operators are calls named as cel-go names them (`_&&_`, `@in`,
`_[_]`, …), `has(x.f)` is a presence-test select, and `all`/`exists`/`exists_one`/`map`/`filter` are
comprehensions over the accumulator `__result__` built exactly as parser/macro.go builds them
(their cost depends on that: the loop condition and step are charged once per element; map() and
filter() reuse one accumulator node in several places, as cel-go does).
Like cel-go, `-` directly before a number is part of the literal, an even run of `!` or `-`
cancels out, and chains of `&&`/`||` become balanced trees (parser/helper.go balancer).

Every node keeps the offset (in code points) cel-go records for it, so errors can be reported at
the line and column cel-go reports (common/error.go). Errors cel-go's parser reports itself (macro
arguments, reserved identifiers, bad literals) are worded as it words them; grammar errors come from
ANTLR in cel-go and are reproduced for the common cases only (a missing operand, a missing `)`,
extra input, a character or escape the lexer does not know) — the first of them, where ANTLR may
report several after recovering.
"""
import math
import re

ACCUMULATOR = "__result__"


class CelSyntaxError(ValueError):
    """A rule cel-go's parser refuses: errors is a list of (offset or None, message)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(message for _, message in self.errors))


class Node:
    """One expression: kind is const, ident, select, call, list, map, struct, comprehension."""

    _ids = 0

    def __init__(self, kind, offset=None, **fields):
        Node._ids += 1
        self.id, self.kind, self.offset = Node._ids, kind, offset
        self.__dict__.update(fields)

    def __repr__(self):
        shown = {k: v for k, v in self.__dict__.items() if k not in ("id", "kind", "offset")}
        return f"{self.kind}{shown}"


def const(kind, value, offset=None):
    return Node("const", offset, type=kind, value=value)


def ident(name, offset=None):
    return Node("ident", offset, name=name)


def select(operand, field, test_only=False, offset=None):
    return Node("select", offset, operand=operand, field=field, test_only=test_only)


def call(function, args, target=None, offset=None):
    return Node("call", offset, function=function, target=target, args=list(args))


def comprehension(var, iter_range, init, condition, step, result, offset=None):
    return Node("comprehension", offset, iter_var=var, iter_range=iter_range, accu_var=ACCUMULATOR,
                accu_init=init, loop_condition=condition, loop_step=step, result=result)


# ---- lexer (parser/gen/CEL.g4) ----

KEYWORDS = {"true": ("bool", True), "false": ("bool", False), "null": ("null", None), "in": ("op", "in")}
# parser.go reservedIds: refused as identifiers (not as field names)
RESERVED = {"as", "break", "const", "continue", "else", "false", "for", "function", "if", "import", "in", "let",
            "loop", "package", "namespace", "null", "return", "true", "var", "void", "while"}
TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n\f]+|//[^\n]*)
  | (?P<string>(?:[bB][rR]?|[rR])?(?:'''|\"\"\"|'|"))
  | (?P<double>[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<uint>0x[0-9a-fA-F]+[uU]|[0-9]+[uU])
  | (?P<int>0x[0-9a-fA-F]+|[0-9]+)
  | (?P<name>[_a-zA-Z][_a-zA-Z0-9]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||[-+*/%!<>?:.,()\[\]{}])
""", re.VERBOSE)
ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\",
           "'": "'", '"': '"', "`": "`", "?": "?"}
HEX = re.compile(r"[0-9a-fA-F]+")


class Token:
    def __init__(self, kind, value, start, text):
        self.kind, self.value, self.start, self.text = kind, value, start, text

    def show(self):
        """How ANTLR names the token in a message."""
        return "<EOF>" if self.kind == "end" else self.text


def _display(text):
    """ANTLR's getErrorDisplay: control characters written as escapes."""
    return text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _string(text, pos, opening):
    """(token, end): a string or bytes literal starting at pos, or a lexer error as ANTLR reports it."""
    quote = opening.lstrip("rRbB")
    prefix = opening[:len(opening) - len(quote)].lower()
    raw, is_bytes = "r" in prefix, "b" in prefix
    i, out = pos + len(opening), []

    def fail(at):
        # token recognition error: the text from the token's start to the character it failed at
        raise CelSyntaxError([(pos, f"Syntax error: token recognition error at: '{_display(text[pos:at + 1])}'")])

    while True:
        if i >= len(text) or (len(quote) == 1 and text[i] in "\r\n"):
            fail(min(i, len(text) - 1))
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
                if len(digits) != width or not HEX.fullmatch(digits):
                    fail(i + 2 + len(HEX.match(digits).group() if HEX.match(digits) else ""))
                value = int(digits, 16)
                if nxt in ("u", "U") and is_bytes or value > 0x10FFFF:
                    raise CelSyntaxError([(pos, "unable to unescape string")])
                out.append(chr(value))
                i += 2 + width
            elif re.fullmatch(r"[0-3][0-7][0-7]", text[i + 1:i + 4]):
                out.append(chr(int(text[i + 1:i + 4], 8)))
                i += 4
            else:
                fail(i + 1)
        else:
            out.append(ch)
            i += 1
    value = "".join(out).replace("\r\n", "\n").replace("\r", "\n")
    if is_bytes:
        # \x and octal escapes are single bytes; other characters are their UTF-8 encoding
        data = b"".join(bytes([ord(c)]) if ord(c) < 256 and not raw else c.encode("utf-8", "surrogatepass")
                        for c in value)
        return Token("bytes", data, pos, text[pos:i]), i
    return Token("string", value, pos, text[pos:i]), i


def tokenize(text):
    tokens, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise CelSyntaxError([(pos, f"Syntax error: token recognition error at: '{_display(text[pos])}'")])
        kind = m.lastgroup
        if kind == "space":
            pos = m.end()
            continue
        if kind == "string":
            token, pos = _string(text, pos, m.group())
            tokens.append(token)
            continue
        value = m.group()
        if kind == "name" and value in KEYWORDS:
            tokens.append(Token(*KEYWORDS[value], pos, value))
        else:
            tokens.append(Token("op" if kind == "op" else kind, value, pos, value))
        pos = m.end()
    tokens.append(Token("end", None, len(text), "<EOF>"))
    return tokens


# ANTLR's expected set where an expression must start
EXPR_START = ("{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, "
              "IDENTIFIER}")


def _int64(text, negative):
    """strconv.ParseInt(text, base, 64) as cel-go's VisitInt calls it, or None when out of range."""
    value = int(text[2:], 16) if text.startswith("0x") else int(text)
    value = -value if negative else value
    return value if -2 ** 63 <= value < 2 ** 63 else None


# ---- parser (recursive descent over CEL.g4, building what parser.go's visitor builds) ----

class Parser:
    def __init__(self, text):
        self.text = text
        self.tokens, self.pos = tokenize(text), 0
        self.errors = []  # errors cel-go reports and recovers from (macros, reserved words, literals)

    def peek(self, offset=0):
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def is_op(self, *ops):
        token = self.peek()
        return token.kind == "op" and token.value in ops

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def syntax(self, token, message):
        raise CelSyntaxError(self.errors + [(token.start, f"Syntax error: {message}")])

    def expect(self, op):
        if not self.is_op(op):
            found = self.peek()
            if found.kind == "end":
                self.syntax(found, f"missing '{op}' at '<EOF>'")
            self.syntax(found, f"mismatched input '{found.show()}' expecting '{op}'")
        return self.take()

    def report(self, offset, message):
        self.errors.append((offset, message))
        return const("error", None, offset)

    def parse(self):
        expr = self.expr()
        token = self.peek()
        if token.kind != "end":
            extraneous = self.peek(1).kind == "end"
            self.syntax(token, f"{'extraneous' if extraneous else 'mismatched'} input '{token.show()}' expecting <EOF>")
        if self.errors:
            raise CelSyntaxError(self.errors)
        return expr

    def expr(self):
        condition = self.logical("||", self.and_)
        if not self.is_op("?"):
            return condition
        op = self.take()
        if_true = self.logical("||", self.and_)
        self.expect(":")
        return call("_?_:_", [condition, if_true, self.expr()], offset=op.start)

    def and_(self):
        return self.logical("&&", self.relation)

    def logical(self, op, operand):
        terms, ops = [operand()], []
        while self.is_op(op):
            ops.append(self.take().start)
            terms.append(operand())
        return self._balance(f"_{op}_", terms, ops, 0, len(ops) - 1) if ops else terms[0]

    def _balance(self, function, terms, ops, lo, hi):
        """parser/helper.go balancer.balancedTree: a balanced tree, each node at its operator."""
        mid = (lo + hi + 1) // 2
        left = terms[mid] if mid == lo else self._balance(function, terms, ops, lo, mid - 1)
        right = terms[mid + 1] if mid == hi else self._balance(function, terms, ops, mid + 1, hi)
        return call(function, [left, right], offset=ops[mid])

    RELATIONS = {"<": "_<_", "<=": "_<=_", ">": "_>_", ">=": "_>=_", "==": "_==_", "!=": "_!=_", "in": "@in"}

    def relation(self):
        left = self.calc(0)
        while self.is_op(*self.RELATIONS):
            op = self.take()
            left = call(self.RELATIONS[op.value], [left, self.calc(0)], offset=op.start)
        return left

    LEVELS = [{"+": "_+_", "-": "_-_"}, {"*": "_*_", "/": "_/_", "%": "_%_"}]

    def calc(self, level):
        if level == len(self.LEVELS):
            return self.unary()
        left = self.calc(level + 1)
        while self.is_op(*self.LEVELS[level]):
            op = self.take()
            left = call(self.LEVELS[level][op.value], [left, self.calc(level + 1)], offset=op.start)
        return left

    def unary(self):
        if self.is_op("-") and self.peek(1).kind in ("int", "double"):
            return self.member()  # a negative literal (primary reads the sign)
        if self.is_op("!", "-"):
            first = self.peek()
            count = 0
            while self.is_op(first.value):
                self.take()
                count += 1
            if self.is_op("-") and first.value == "!" and self.peek(1).kind not in ("int", "double"):
                self.syntax(self.peek(), f"no viable alternative at input '{self.peek().show()}'")
            operand = self.member()
            if count % 2 == 0:
                return operand
            return call("!_" if first.value == "!" else "-_", [operand], offset=first.start)
        return self.member()

    def member(self):
        expr = self.primary()
        while True:
            if self.is_op("."):
                dot = self.take()
                optional = False
                if self.is_op("?"):
                    self.take()
                    optional = True
                name = self.peek()
                if name.kind != "name":
                    if name.kind in ("bool", "null") or (name.kind == "op" and name.value == "in"):
                        self.syntax(name, f"mismatched input '{name.show()}' expecting IDENTIFIER")
                    self.syntax(name, f"no viable alternative at input '.{name.show()}'")
                self.take()
                if optional:
                    expr = self.report(dot.start, "unsupported syntax '.?'")
                elif self.is_op("("):
                    open_ = self.peek()
                    expr = self.receiver_call(expr, name.value, self.arguments(), open_.start)
                else:
                    expr = select(expr, name.value, offset=dot.start)
            elif self.is_op("["):
                bracket = self.take()
                optional = False
                if self.is_op("?"):
                    self.take()
                    optional = True
                index = self.expr()
                self.expect("]")
                expr = self.report(bracket.start, "unsupported syntax '[?'") if optional else \
                    call("_[_]", [expr, index], offset=bracket.start)
            else:
                return expr

    def arguments(self, close=")"):
        self.take()  # the opening bracket
        args = []
        while not self.is_op(close):
            if self.is_op("?") and close == "]":
                question = self.take()
                args.append(self.expr())
                self.report(question.start, "unsupported syntax '?'")
            else:
                args.append(self.operand())
            if not self.is_op(close):
                if close == "]" and self.is_op(",") and self.peek(1).kind == "op" and self.peek(1).value == "]":
                    self.take()  # a trailing comma
                    break
                if self.peek().kind == "end" or not self.is_op(","):
                    found = self.peek()
                    if found.kind == "end":
                        self.syntax(found, f"missing '{close}' at '<EOF>'")
                    self.syntax(found, f"mismatched input '{found.show()}' expecting {{'{close}', ','}}" if close == ")"
                                else f"mismatched input '{found.show()}' expecting {{']', ','}}")
                self.take()
        self.take()
        return args

    def operand(self):
        """An expression where one must start (ANTLR's message when none does)."""
        token = self.peek()
        starts = token.kind in ("int", "uint", "double", "string", "bytes", "bool", "null", "name") or (
            token.kind == "op" and token.value in ("[", "{", "(", ".", "-", "!"))
        if not starts:
            self.syntax(token, f"mismatched input '{token.show()}' expecting {EXPR_START}")
        return self.expr()

    def primary(self):
        token = self.peek()
        if token.kind == "op" and token.value == "-" and self.peek(1).kind in ("int", "double"):
            self.take()
            return self.literal(self.take(), token)
        if token.kind in ("int", "uint", "double", "string", "bytes", "bool", "null"):
            return self.literal(self.take(), None)
        if token.kind == "name" or (token.kind == "op" and token.value == "." and self.peek(1).kind == "name"):
            return self.identifier_or_message()
        if token.kind == "op" and token.value == "(":
            self.take()
            inner = self.operand()
            self.expect(")")
            return inner
        if token.kind == "op" and token.value == "[":
            return Node("list", token.start, elements=self.arguments("]"))
        if token.kind == "op" and token.value == "{":
            return self.map_literal()
        if token.kind == "op" and token.value == ".":
            self.take()
            self.syntax(self.peek(), f"no viable alternative at input '.{self.peek().show()}'")
        self.syntax(token, f"mismatched input '{token.show()}' expecting {EXPR_START}")

    def literal(self, token, sign):
        start = sign.start if sign is not None else token.start
        if token.kind == "int":
            value = _int64(token.value, sign is not None)
            return const("int", value, start) if value is not None else self.report(start, "invalid int literal")
        if token.kind == "uint":
            text = token.value[:-1]
            value = int(text[2:], 16) if text.startswith("0x") else int(text)
            return const("uint", value, start) if value < 2 ** 64 else self.report(start, "invalid uint literal")
        if token.kind == "double":
            value = float(("-" if sign is not None else "") + token.value)
            if math.isinf(value):
                return self.report(start, "invalid double literal")
            return const("double", value, start)
        return const(token.kind, token.value, start)

    def identifier_or_message(self):
        leading = self.take() if self.is_op(".") else None
        # a message construction is a dotted name followed by '{'
        i, names = 0, []
        while self.peek(i).kind == "name":
            names.append(self.peek(i))
            if self.peek(i + 1).kind == "op" and self.peek(i + 1).value == ".":
                i += 2
                continue
            break
        after = self.peek(i + 1)
        if after.kind == "op" and after.value == "{":
            self.pos += i + 1
            return self.message(leading, names)
        name = self.take()
        start = leading.start if leading is not None else name.start
        if name.value in RESERVED:
            return self.report(start, f"reserved identifier: {name.value}")
        full = ("." if leading is not None else "") + name.value
        if self.is_op("("):
            open_ = self.peek()
            return self.global_call(full, self.arguments(), open_.start)
        return ident(full, name.start)

    def message(self, leading, names):
        brace = self.take()
        name = ("." if leading is not None else "") + ".".join(n.value for n in names)
        fields = []
        while not self.is_op("}"):
            if self.is_op("?"):
                question = self.take()
                self.report(question.start, "unsupported syntax '?'")
            field = self.peek()
            if field.kind != "name":
                self.syntax(field, f"mismatched input '{field.show()}' expecting {{'}}', ',', '?', IDENTIFIER}}")
            self.take()
            colon = self.expect(":")
            fields.append((field.value, self.operand(), colon.start))
            if not self.is_op("}"):
                self.expect(",")
        self.take()
        return Node("struct", brace.start, message_name=name, fields=fields)

    def map_literal(self):
        brace = self.take()
        entries = []
        while not self.is_op("}"):
            if self.is_op("?"):
                question = self.take()
                self.report(question.start, "unsupported syntax '?'")
            key = self.operand()
            self.expect(":")
            entries.append((key, self.operand()))
            if not self.is_op("}"):
                self.expect(",")
        self.take()
        return Node("map", brace.start, entries=entries)

    # ---- macros (parser/macro.go) ----

    def global_call(self, name, args, offset):
        if name == "has" and len(args) == 1:
            arg = args[0]
            if arg.kind != "select" or arg.test_only:
                return self.report(offset, "invalid argument to has() macro")
            return select(arg.operand, arg.field, test_only=True, offset=offset)
        return call(name, args, offset=offset)

    def receiver_call(self, target, name, args, offset):
        quantifiers = {"all", "exists", "exists_one"}
        if (name in quantifiers or name == "filter") and len(args) == 2 or (name == "map" and len(args) in (2, 3)):
            if args[0].kind != "ident":
                if name in quantifiers:
                    return self.report(args[0].offset, "argument must be a simple name")
                return self.report(offset, "argument is not an identifier")
            return expand(name, target, args, offset)
        return call(name, args, target=target, offset=offset)


def expand(name, target, args, offset):
    """The comprehension parser/macro.go builds; every node it adds sits at the call's '('."""
    var = args[0].name

    def accu():
        return ident(ACCUMULATOR, offset)

    def fn(function, *fn_args):
        return call(function, fn_args, offset=offset)

    if name == "all":
        return comprehension(var, target, const("bool", True, offset), fn("@not_strictly_false", accu()),
                             fn("_&&_", accu(), args[1]), accu(), offset)
    if name == "exists":
        return comprehension(var, target, const("bool", False, offset),
                             fn("@not_strictly_false", fn("!_", accu())), fn("_||_", accu(), args[1]), accu(), offset)
    if name == "exists_one":
        one = const("int", 1, offset)  # one node, used twice, as in cel-go
        return comprehension(var, target, const("int", 0, offset), const("bool", True, offset),
                             fn("_?_:_", args[1], fn("_+_", accu(), one), accu()), fn("_==_", accu(), one), offset)
    accu_expr = accu()  # map and filter use one accumulator node for the step, the else branch and the result
    if name == "map":
        step = fn("_+_", accu_expr, Node("list", offset, elements=[args[-1]]))
        if len(args) == 3:
            step = fn("_?_:_", args[1], step, accu_expr)
        return comprehension(var, target, Node("list", offset, elements=[]), const("bool", True, offset), step,
                             accu_expr, offset)
    # filter
    step = fn("_?_:_", args[1], fn("_+_", accu_expr, Node("list", offset, elements=[args[0]])), accu_expr)
    return comprehension(var, target, Node("list", offset, elements=[]), const("bool", True, offset), step,
                         accu_expr, offset)


def parse(text):
    """The expression tree of a CEL rule, or CelSyntaxError."""
    return Parser(text).parse()


# ---- error display (common/source.go, common/error.go, common/errors.go) ----

def line_offsets(text):
    """NewStringSource: the offset just past each line's newline."""
    offsets, offset = [], 0
    for line in text.split("\n"):
        offset += len(line) + 1
        offsets.append(offset)
    return offsets


def location(text, offset, checker_style=False):
    """(line, column) of an offset: the parser's OffsetLocation, or the checker's locationByID, which
    counts a position exactly at a line start as the end of the line before."""
    if offset is None:
        return (-1, -1)
    line, column = 1, offset
    for line_start in line_offsets(text):
        if (line_start < offset) if checker_style else (line_start <= offset):
            line += 1
            column = offset - line_start
        else:
            break
    return (line, column)


def display(text, errors):
    """Errors.ToDisplayString: `ERROR: <input>:L:C: message` with the source line and a caret under the
    column, sorted by location; errors are (line, column, message)."""
    out = []
    lines = text.split("\n")
    for line, column, message in sorted(errors, key=lambda e: (e[0], e[1])):
        shown = f"ERROR: <input>:{line}:{column + 1}: {message}"
        if 1 <= line <= len(lines) and text:
            snippet = lines[line - 1].replace("\t", " ")
            # one dot per code point before the column (a wide one for a multi-byte character), then a caret
            indicator = "".join("\uff0e" if ord(ch) > 0x7f else "." for ch in snippet[:max(column, 0)])
            under = snippet[column] if 0 <= column < len(snippet) else ""
            indicator += "\uff3e" if under and ord(under) > 0x7f else "^"
            shown += f"\n | {snippet}\n | {indicator}"
        out.append(shown)
    return "\n".join(out)
