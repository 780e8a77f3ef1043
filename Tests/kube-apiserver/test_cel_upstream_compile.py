"""Rules that must compile (and a few that must not) in the CRD environment, from Kubernetes' own unit
test of CRD validation rules: k8s.io/apiextensions-apiserver tag v0.28.4,
pkg/apiserver/schema/cel/validation_test.go, TestValidationExpressions. Each case's `valid` rules and the
rules of its `errors` map whose expected error happens when the rule runs (overflow, division by zero,
min() of an empty list) all compiled on the real server, so this server must not refuse them; the
rules whose expected error is a compile error must be refused with it. Its validator compiles with
StoredExpressionsEnvLoader, so these compile in the environment of stored expressions (here: a CRD
update that keeps them).

Transcribed: every case whose schema is `schemas(...)` (properties val1, val2, … of the given types; the
rules were extracted from the Go source literally, fmt.Sprintf and ValsEqualThemselvesAndDataLiteral
evaluated), and the cases "stdlib list functions", "stdlib regex functions" and "URL parsing" (the
"compile error: " before some expected errors is the Go test's own prefix, not the server's). Left out:
the other cases (their schemas are written out field by field in Go).
"""
import pytest

from testenv.kube import celcost

integer_T = {"type": "integer"}
int32_T = {"type": "integer", "format": "int32"}
int64_T = {"type": "integer", "format": "int64"}
number_T = {"type": "number"}
float_T = {"type": "number", "format": "float"}
double_T = {"type": "number", "format": "double"}
string_T = {"type": "string"}
byte_T = {"type": "string", "format": "byte"}
boolean_T = {"type": "boolean"}
duration_F = {"type": "string", "format": "duration"}
date_F = {"type": "string", "format": "date"}
dateTime_F = {"type": "string", "format": "date-time"}


def array(list_type, items):
    return {"type": "array", "x-kubernetes-list-type": list_type, "items": items}


def map_of(values):
    return {"type": "object", "additionalProperties": values}


def vals(*schemas):
    """schemas(): an object whose properties val1, val2, … have the given schemas."""
    return {"type": "object", "properties": {f"val{i + 1}": s for i, s in enumerate(schemas)}}


# (case name, schema, rules that compile, {rule: expected compile error substring})
CASES = [
    ('integers', vals(integer_T, integer_T, int32_T, int32_T, int64_T, int64_T),
     ['self.val1 == 9223372036854775807 && 9223372036854775807 == self.val1 && self.val1 == self.val2', 'self.val3 == 2147483647 && 2147483647 == self.val3 && self.val3 == self.val4', 'self.val5 == 9223372036854775807 && 9223372036854775807 == self.val5 && self.val5 == self.val6', 'self.val1 == self.val6', 'type(self.val1) == int', 'self.val3 + 1 == 2147483647 + 1', 'type(self.val3) == int', 'type(self.val5) == int', 'self.val1 + 1 == 0', 'self.val5 + 1 == 0', '1 / 0 == 1 / 0'],
     {}),
    ('numbers', vals(number_T, number_T, float_T, float_T, double_T, double_T, double_T),
     ['self.val1 == 179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000 && 179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000 == self.val1 && self.val1 == self.val2', 'self.val3 == 340282346638528859811704183484516925440.000000 && 340282346638528859811704183484516925440.000000 == self.val3 && self.val3 == self.val4', 'self.val5 == 179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000 && 179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000000 == self.val5 && self.val5 == self.val6', 'self.val1 == self.val6', 'type(self.val1) == double', 'type(self.val3) == double', 'type(self.val5) == double', 'type(self.val7) == double', 'self.val7 == 1.0'],
     {}),
    ('numeric comparisons', vals(integer_T, integer_T, integer_T, number_T, float_T, double_T, number_T, float_T, double_T),
     ['double(self.val1) < self.val4', 'double(self.val1) <= self.val4', 'double(self.val2) <= self.val4', 'double(self.val2) == self.val4', 'double(self.val2) >= self.val4', 'double(self.val3) > self.val4', 'double(self.val3) >= self.val4', 'self.val1 < int(self.val4)', 'self.val2 == int(self.val4)', 'self.val3 > int(self.val4)', 'double(self.val1) < self.val5', 'double(self.val2) == self.val5', 'double(self.val3) > self.val5', 'self.val1 < int(self.val5)', 'self.val2 == int(self.val5)', 'self.val3 > int(self.val5)', 'double(self.val1) < self.val6', 'double(self.val2) == self.val6', 'double(self.val3) > self.val6', 'self.val1 < int(self.val6)', 'self.val2 == int(self.val6)', 'self.val3 > int(self.val6)', 'double(self.val1) < self.val7', 'double(self.val2) == self.val7', 'double(self.val3) > self.val7', 'self.val1 < int(self.val7)', 'self.val2 == int(self.val7)', 'self.val3 > int(self.val7)', 'double(self.val1) < self.val8', 'double(self.val2) == self.val8', 'double(self.val3) > self.val8', 'self.val1 < int(self.val8)', 'self.val2 == int(self.val8)', 'self.val3 > int(self.val8)', 'double(self.val1) < self.val9', 'double(self.val2) == self.val9', 'double(self.val3) > self.val9', 'self.val1 < int(self.val9)', 'self.val2 == int(self.val9)', 'self.val3 > int(self.val9)', 'double(5) < 10.0', 'double(10) == 10.0', 'double(15) > 10.0', '5 < int(10.0)', '10 == int(10.0)', '15 > int(10.0)', 'double(self.val1) < 10.0', 'double(self.val2) == 10.0', 'double(self.val3) > 10.0', 'self.val1 < self.val4', 'self.val1 <= self.val4', 'self.val2 <= self.val4', 'self.val2 >= self.val4', 'self.val3 > self.val4', 'self.val3 >= self.val4', 'self.val1 < self.val4', 'self.val3 > self.val4', 'self.val1 < self.val5', 'self.val3 > self.val5', 'self.val1 < self.val5', 'self.val3 > self.val5', 'self.val1 < self.val6', 'self.val3 > self.val6', 'self.val1 < self.val6', 'self.val3 > self.val6', 'self.val1 < self.val7', 'self.val3 > self.val7', 'self.val1 < int(self.val7)', 'self.val3 > int(self.val7)', 'self.val1 < self.val8', 'self.val3 > self.val8', 'self.val1 < self.val8', 'self.val3 > self.val8', 'self.val1 < self.val9', 'self.val3 > self.val9', 'self.val1 < self.val9', 'self.val3 > self.val9', '5 < 10.0', '15 > 10.0', '5 < 10.0', '15 > 10.0', 'self.val1 < 10.0', 'self.val3 > 10.0'],
     {}),
    ('unicode strings', vals(string_T, string_T),
     ["self.val1 == 'Rook takes 👑' && 'Rook takes 👑' == self.val1 && self.val1 == self.val2", "self.val1.startsWith('Rook')", "!self.val1.startsWith('knight')", "self.val1.contains('takes')", "!self.val1.contains('gives')", "self.val1.endsWith('👑')", "!self.val1.endsWith('pawn')", "self.val1.matches('^[^0-9]*$')", "!self.val1.matches('^[0-9]*$')", 'type(self.val1) == string', 'size(self.val1) == 12', "self.val1.charAt(3) == 'k'", "self.val1.indexOf('o') == 1", "self.val1.indexOf('o', 2) == 2", "self.val1.replace(' ', 'x') == 'Rookxtakesx👑'", "self.val1.replace(' ', 'x', 1) == 'Rookxtakes 👑'", "self.val1.split(' ') == ['Rook', 'takes', '👑']", "self.val1.split(' ', 2) == ['Rook', 'takes 👑']", "self.val1.substring(5) == 'takes 👑'", "self.val1.substring(0, 4) == 'Rook'", "self.val1.substring(4, 10).trim() == 'takes'", "self.val1.upperAscii() == 'ROOK TAKES 👑'", "self.val1.lowerAscii() == 'rook takes 👑'"],
     {"self.val1.matches(')')": 'program instantiation failed: error parsing regexp: unexpected ): `)`', "'%s %i'.format('a', 1) == 'a 1'": "undeclared reference to 'format'"}),
    ('escaped strings', vals(string_T, string_T),
     ["self.val1 == 'l1\\nl2' && 'l1\\nl2' == self.val1 && self.val1 == self.val2", "self.val1 == '''l1\nl2'''"],
     {}),
    ('bytes', vals(byte_T, byte_T),
     ['self.val1 == self.val2', "self.val1 == b'AB'", "self.val1 == bytes('AB')", "self.val1 == b'\\x41\\x42'", 'type(self.val1) == bytes', 'size(self.val1) == 2'],
     {}),
    ('booleans', vals(boolean_T, boolean_T, boolean_T, boolean_T),
     ['self.val1 == true && true == self.val1 && self.val1 == self.val2', 'self.val3 == false && false == self.val3 && self.val3 == self.val4', 'self.val1 != self.val4', 'type(self.val1) == bool'],
     {}),
    ('duration format', vals(duration_F, duration_F),
     ["self.val1 == duration('1h2m3s4ms') && duration('1h2m3s4ms') == self.val1 && self.val1 == self.val2", "self.val1 == duration('1h2m') + duration('3s4ms')", 'self.val1.getHours() == 1', 'self.val1.getMinutes() == 62', 'self.val1.getSeconds() == 3723', 'self.val1.getMilliseconds() == 3723004', 'type(self.val1) == google.protobuf.Duration'],
     {}),
    ('date format', vals(date_F, date_F),
     ["self.val1 == timestamp('1997-07-16T00:00:00.000Z') && timestamp('1997-07-16T00:00:00.000Z') == self.val1 && self.val1 == self.val2", 'self.val1.getDate() == 16', 'self.val1.getMonth() == 06', 'self.val1.getFullYear() == 1997', 'type(self.val1) == google.protobuf.Timestamp'],
     {}),
    ('date-time format', vals(dateTime_F, dateTime_F),
     ["self.val1 == timestamp('2011-08-18T19:03:37.010+01:00') && timestamp('2011-08-18T19:03:37.010+01:00') == self.val1 && self.val1 == self.val2", "self.val1 == timestamp('2011-08-18T00:00:00.000+01:00') + duration('19h3m37s10ms')", "self.val1.getDate('01:00') == 18", "self.val1.getMonth('01:00') == 7", "self.val1.getFullYear('01:00') == 2011", "self.val1.getHours('01:00') == 19", "self.val1.getMinutes('01:00') == 03", "self.val1.getSeconds('01:00') == 37", "self.val1.getMilliseconds('01:00') == 10", "self.val1.getHours('UTC') == 18", 'type(self.val1) == google.protobuf.Timestamp'],
     {}),
    ('conversions', vals(integer_T, number_T, number_T, number_T, boolean_T, string_T, byte_T, string_T, duration_F, string_T, dateTime_F, string_T, date_F),
     ['int(self.val2) == self.val1', 'int(self.val3) == self.val1', 'int(self.val4) == self.val1', 'int(self.val6) == self.val1', 'double(self.val1) == self.val2', 'double(self.val6) == self.val2', 'bytes(self.val6) == self.val7', 'string(self.val1) == self.val6', "string(self.val2) == '10'", "string(self.val3) == '10.49'", "string(self.val4) == '10.5'", "string(self.val5) == 'true'", 'string(self.val7) == self.val6', 'duration(self.val8) == self.val9', 'string(self.val9) == self.val8', 'timestamp(self.val10) == self.val11', 'string(self.val11) == self.val10', 'timestamp(self.val12) == self.val13', 'string(self.val13) == self.val12'],
     {}),
    ('lists', vals(array("atomic", integer_T), array("atomic", integer_T)),
     ['self.val1 == [1, 2, 3] && [1, 2, 3] == self.val1 && self.val1 == self.val2', '1 in self.val1', 'self.val2[0] in self.val1', '!(0 in self.val1)', 'self.val1 + self.val2 == [1, 2, 3, 1, 2, 3]', 'self.val1 + [4, 5] == [1, 2, 3, 4, 5]'],
     {"[1, 'a', false].filter(x, string(x) == 'a')": "expected type 'int' but found 'string'"}),
    ('string lists', vals(array("atomic", string_T)),
     ["self.val1.join('-') == 'a-b-c'", "['a', 'b', 'c'].join('-') == 'a-b-c'", "self.val1.join() == 'abc'", "['a', 'b', 'c'].join() == 'abc'"],
     {}),
    ('listSets', vals(array("set", string_T), array("set", string_T)),
     ["self.val1 == ['c', 'b', 'a']", 'self.val1 == self.val2', "'a' in self.val1", 'self.val2[0] in self.val1', "!('x' in self.val1)", "self.val1 + self.val2 == ['a', 'b', 'c']", "self.val1 + ['c', 'd'] == ['a', 'b', 'c', 'd']", "self.val1.join('-') == 'a-b-c'", "['a', 'b', 'c'].join('-') == 'a-b-c'", "self.val1.join() == 'abc'", "['a', 'b', 'c'].join() == 'abc'"],
     {}),
    ('maps', vals(map_of(string_T), map_of(string_T)),
     ['self.val1 == self.val2', "'k1' in self.val1", "!('k3' in self.val1)", "self.val1 == {'k1': 'a', 'k2': 'b'}"],
     {"{'k1': 'a', 'k2': 1, 'k2': false}": "expected type 'string' but found 'int'"}),
    ("stdlib list functions", {"type": "object", "properties": {
        **{name: array("atomic", integer_T) for name in ("ints", "unsortedInts", "emptyInts")},
        **{name: array("atomic", double_T) for name in ("doubles", "unsortedDoubles", "emptyDoubles", "intBackedDoubles",
                                                    "unsortedIntBackedDDoubles", "emptyIntBackedDDoubles")},
        **{name: array("atomic", duration_F) for name in ("durations", "unsortedDurations", "emptyDurations")},
        **{name: array("atomic", string_T) for name in ("strings", "unsortedStrings", "emptyStrings")},
        **{name: array("atomic", date_F) for name in ("dates", "unsortedDates", "emptyDates")},
        "objs": array("atomic", {"type": "object", "properties": {"f1": string_T, "f2": string_T}})}},
     ['self.ints.sum() == 8', 'self.ints.min() == 1', 'self.ints.max() == 3', 'self.emptyInts.sum() == 0', 'self.ints.isSorted()', 'self.emptyInts.isSorted()', 'self.unsortedInts.isSorted() == false', 'self.ints.indexOf(2) == 1', 'self.ints.lastIndexOf(2) == 2', 'self.ints.indexOf(10) == -1', 'self.ints.lastIndexOf(10) == -1', 'self.doubles.sum() == 8.0', 'self.doubles.min() == 1.0', 'self.doubles.max() == 3.0', 'self.emptyDoubles.sum() == 0.0', 'self.doubles.isSorted()', 'self.emptyDoubles.isSorted()', 'self.unsortedDoubles.isSorted() == false', 'self.doubles.indexOf(2.0) == 1', 'self.doubles.lastIndexOf(2.0) == 2', 'self.doubles.indexOf(10.0) == -1', 'self.doubles.lastIndexOf(10.0) == -1', 'self.intBackedDoubles.sum() == 8.0', 'self.intBackedDoubles.min() == 1.0', 'self.intBackedDoubles.max() == 3.0', 'self.emptyIntBackedDDoubles.sum() == 0.0', 'self.intBackedDoubles.isSorted()', 'self.emptyDoubles.isSorted()', 'self.unsortedIntBackedDDoubles.isSorted() == false', 'self.intBackedDoubles.indexOf(2.0) == 1', 'self.intBackedDoubles.lastIndexOf(2.0) == 2', 'self.intBackedDoubles.indexOf(10.0) == -1', 'self.intBackedDoubles.lastIndexOf(10.0) == -1', "self.durations.sum() == duration('1h2m1s')", "self.durations.min() == duration('1s')", "self.durations.max() == duration('1h')", "self.emptyDurations.sum() == duration('0')", 'self.durations.isSorted()', 'self.emptyDurations.isSorted()', 'self.unsortedDurations.isSorted() == false', "self.durations.indexOf(duration('1m')) == 1", "self.durations.lastIndexOf(duration('1m')) == 2", "self.durations.indexOf(duration('2m')) == -1", "self.durations.lastIndexOf(duration('2m')) == -1", "self.strings.min() == 'a'", "self.strings.max() == 'c'", 'self.strings.isSorted()', 'self.emptyStrings.isSorted()', 'self.unsortedStrings.isSorted() == false', "self.strings.indexOf('b') == 1", "self.strings.lastIndexOf('b') == 2", "self.strings.indexOf('x') == -1", "self.strings.lastIndexOf('x') == -1", "self.dates.min() == timestamp('2000-01-01T00:00:00.000Z')", "self.dates.max() == timestamp('2010-01-01T00:00:00.000Z')", 'self.dates.isSorted()', 'self.emptyDates.isSorted()', 'self.unsortedDates.isSorted() == false', "self.dates.indexOf(timestamp('2000-02-01T00:00:00.000Z')) == 1", "self.dates.lastIndexOf(timestamp('2000-02-01T00:00:00.000Z')) == 2", "self.dates.indexOf(timestamp('2005-02-01T00:00:00.000Z')) == -1", "self.dates.lastIndexOf(timestamp('2005-02-01T00:00:00.000Z')) == -1", '[[1], [2]].indexOf([1]) == 0', "[{'a': 1}, {'b': 2}].lastIndexOf({'b': 2}) == 1", 'self.objs.indexOf(self.objs[1]) == 1', 'self.objs.lastIndexOf(self.objs[1]) == 2', '([0] + self.emptyInts).min() == 0', 'dyn([]).sum() == 0', 'dyn([1, 2]).sum() == 3', 'dyn([1.0, 2.0]).sum() == 3.0', '[].sum() == 0', 'self.emptyInts.min() == 1', 'self.emptyInts.max() == 3', 'self.emptyDoubles.min() == 1.0', 'self.emptyDoubles.max() == 3.0', "self.emptyStrings.min() == 'a'", "self.emptyStrings.max() == 'c'"],
     {"['a', 'b'].sum() == 'c'": "found no matching overload for 'sum' applied to 'list(string).()", '[[1], [2]].min() == [1]': "found no matching overload for 'min' applied to 'list(list(int)).()", "[{'a': 1}, {'b': 2}].max() == {'b': 2}": "found no matching overload for 'max' applied to 'list(map(string, int)).()"}),
    ("stdlib regex functions", {"type": "object", "properties": {"str": string_T}},
     ["self.str.find('[0-9]+') == '123'", "self.str.find('[0-9]+') != '456'", "self.str.find('xyz') == ''", "self.str.findAll('[0-9]+') == ['123', '456']", "self.str.findAll('[0-9]+', 0) == []", "self.str.findAll('[0-9]+', 1) == ['123']", "self.str.findAll('[0-9]+', 2) == ['123', '456']", "self.str.findAll('[0-9]+', 3) == ['123', '456']", "self.str.findAll('[0-9]+', -1) == ['123', '456']", "self.str.findAll('xyz') == []", "self.str.findAll('xyz', 1) == []"],
     {"self.str.find(')') == ''": 'program instantiation failed: error parsing regexp: unexpected ): `)`', "self.str.findAll(')') == []": 'program instantiation failed: error parsing regexp: unexpected ): `)`', "self.str.findAll(')', 1) == []": 'program instantiation failed: error parsing regexp: unexpected ): `)`'}),
    ("URL parsing", {"type": "object", "properties": {"url": string_T}},
     ["url('/path').getScheme() == ''", "url('https://example.com/').getScheme() == 'https'", "url('https://example.com:80/').getHost() == 'example.com:80'", "url('https://example.com/').getHost() == 'example.com'", "url('https://[::1]:80/').getHost() == '[::1]:80'", "url('https://[::1]/').getHost() == '[::1]'", "url('/path').getHost() == ''", "url('https://example.com:80/').getHostname() == 'example.com'", "url('https://127.0.0.1/').getHostname() == '127.0.0.1'", "url('https://[::1]/').getHostname() == '::1'", "url('/path').getHostname() == ''", "url('https://example.com:80/').getPort() == '80'", "url('https://example.com/').getPort() == ''", "url('/path').getPort() == ''", "url('https://example.com/path').getEscapedPath() == '/path'", "url('https://example.com/with space/').getEscapedPath() == '/with%20space/'", "url('https://example.com').getEscapedPath() == ''", "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == { 'k1': ['a'], 'k2': ['b', 'c']}", "url('https://example.com/path?key with spaces=value with spaces').getQuery() == { 'key with spaces': ['value with spaces']}", "url('https://example.com/path?').getQuery() == {}", "url('https://example.com/path').getQuery() == {}", "url(self.url).getScheme() == 'https'", "url(self.url).getHost() == 'kubernetes.io:80'", "url(self.url).getHostname() == 'kubernetes.io'", "url(self.url).getPort() == '80'", "url(self.url).getEscapedPath() == '/docs/home'", "url(self.url).getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}", "isURL('https://user:pass@example.com:80/path?query=val#fragment')", "isURL('/path') == true", "isURL('https://a:b:c/') == false", "isURL('../relative-path') == false"],
     {}),
]


def compile_stored(schema, rule):
    """compileRule for a rule the CRD already had (StoredExpressionsEnvLoader)."""
    preexisting = celcost.Preexisting()
    preexisting.rules.add(rule)
    return celcost.compile_rule({"rule": rule}, celcost.decl_type(schema), preexisting)


@pytest.mark.parametrize("name, schema, rule", [(n, s, r) for n, s, rules, _ in CASES for r in rules])
def test_rule_compiles(name, schema, rule):
    result = compile_stored(schema, rule)
    assert result.error is None and not result.unsure, result.error


@pytest.mark.parametrize("name, schema, rule, expected",
                         [(n, s, r, e) for n, s, _, refused in CASES for r, e in refused.items()])
def test_rule_is_refused(name, schema, rule, expected):
    # a compile error is reported whether the rule is new or stored; new ones are not "unsure"
    result = celcost.compile_rule({"rule": rule}, celcost.decl_type(schema))
    assert result.error is not None and expected in result.error[1], result.error
