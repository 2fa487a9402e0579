// Hostile values, by what they attack. Each list holds inputs that broke some real API: the
// database's limits (NUL, year 0, offsets past ±15:59, integer overflow), parsers (malformed
// JSON, deep nesting), routers (encoded slashes, dot segments) and people (RTL overrides).

export const HUGE = 100_000

export const nulStrings = ['\u0000', 'a\u0000b', 'plan\u0000', '\u0000'.repeat(8)]

export const unicodeStrings = [
  '😀👍🏽👨‍👩‍👧', // astral, modifiers, ZWJ sequences
  'مرحبا بالعالم', // right-to-left
  '\u202Egnp.exe', // RTL override
  'e\u0301\u0301\u0301', // stacked combining marks
  '\uFEFFbom',
  '\ud800', // a lone surrogate (invalid UTF-16; JSON.stringify escapes it)
  '\u2028\u2029',
  'Ω≈ç√∫˜µ≤≥÷',
  '𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐',
  'ຂໍ້ມູນ ລາວ', // Lao
  '\t\r\n',
]

export const sneakyStrings = [
  '',
  ' ',
  '   ',
  'null',
  'undefined',
  "'; drop table plans; --",
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '%s%n%x',
  '${7*7}',
  '=cmd|calc!A1',
  'a'.repeat(1001),
]

/** Every abusive string, plus a huge one made on demand (it is big). */
export const abusiveStrings = [...nulStrings, ...unicodeStrings, ...sneakyStrings, 'HUGE']
export const expand = (s: string) => (s === 'HUGE' ? 'x'.repeat(HUGE) : s)

export const malformedDates = [
  '0000-01-01',
  '2024-02-30',
  '2023-02-29',
  '2024-13-01',
  '2024-00-10',
  '2024-1-1',
  '24-01-01',
  '10000-01-01',
  '+275760-09-13',
  '-0001-01-01',
  '9999-12-31',
  '0001-01-01',
  '2024-01-01T00:00:00Z',
  'yesterday',
  '',
]

export const malformedDateTimes = [
  '2024-01-01T00:00:00+25:00',
  '2024-01-01T00:00:00+16:00',
  '2024-01-01T00:00:00-99:99',
  '2024-01-01T24:00:00Z',
  '2024-01-01T00:00:60Z',
  '2024-01-01T00:00:00',
  '2024-01-01 00:00:00Z',
  '2024-01-01',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+15:59',
  '9999-12-31T23:59:59-15:59',
  '275760-09-13T00:00:00Z',
  '2024-01-01T00:00:00.1234567890123Z',
  '2024-02-30T00:00:00Z',
  'now',
  '',
]

export const malformedUuids = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90}',
  '3f1c6a528d7e4c1b9a8e2f0c1d5b7a90',
  '3F1C6A52-8D7E-4C1B-9A8E-2F0C1D5B7A90',
  '3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a9',
  '3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a900',
  'g3f1c6a5-8d7e-4c1b-9a8e-2f0c1d5b7a90',
  '1',
  '-1',
  'null',
  ' 3f1c6a52-8d7e-4c1b-9a8e-2f0c1d5b7a90',
]

export const malformedUris = [
  'javascript:alert(1)',
  'data:text/html,<script>',
  'http://',
  'not a url',
  'ftp://example.org',
  'http://exa mple.org',
  `https://example.org/${'a'.repeat(5000)}`,
  '//example.org',
]

/** Numbers at and past the edges: int4/int8 overflow, non-integers, negative zero. */
export const extremeNumbers = [-1, 0, -0, 0.5, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, 5e-324, 1e21]

/** Numbers as they arrive in a query string. */
export const numberTexts = [
  '-1',
  '0',
  '1.5',
  '1e3',
  '0x10',
  '1_000',
  'abc',
  '',
  ' 5',
  'NaN',
  'Infinity',
  '-0',
  '99999999999999999999',
  '２',
  '501',
  '1000000',
]

export const booleanTexts = ['yes', '1', '0', 'TRUE', 'null', '', 'truee']

/**
 * Path segments sent as they are (already encoded), to probe the router. Dot segments (`.`,
 * `..`, `%2E`) are left out: URL parsers resolve them before sending (WHATWG URL, RFC 3986
 * §5.2.4), so the request would be for another operation.
 */
export const rawPathSegments = [
  '%00',
  '%25',
  '%2F',
  '%20',
  'a%2F..%2Fb',
  '%E2%80%AE',
  'a%2Fb',
  '%ZZ',
  `${'a'.repeat(2000)}`,
]

export const malformedJsonTexts = [
  '{',
  '{"a":}',
  "{'name':'x'}",
  '{"a":1}}',
  '{"a":1,}',
  '[',
  'NaN',
  'undefined',
  '\uFEFF{}',
  '{"a":"\\x00"}',
  '{"a":"\\ud800"}',
  '{"a":1e999}',
  '{"a":01}',
  'null null',
  '{"a" 1}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
]

export const wrongContentTypes = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json-patch+json',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/jsonx',
  'text/json',
  '',
]

export const acceptValues = [
  'application/xml',
  'text/html',
  'image/png',
  '*/*',
  'application/*',
  'text/*',
  'text/csv',
  'application/x-ndjson',
  'text/calendar',
  'application/problem+json',
  'application/json;q=0',
  'text/csv;q=0.1, application/x-ndjson;q=0.9',
  'garbage',
  '',
]

export const entityTagTexts = [
  'abc',
  '"abc"',
  'W/"1"',
  '"1", junk',
  '"99999999999999999999"',
  '"-1"',
  '""',
  '*, "1"',
  '"1"x',
  `"${'9'.repeat(400)}"`,
]

export const authorizationTexts = [
  'Bearer',
  'Bearer ',
  'Bearer apk_',
  'Bearer apk_invalid_key',
  `Bearer apk_${'x'.repeat(5000)}`,
  'Basic YWRtaW46YWRtaW4=',
  'bearer apk_00000000',
  'Token abc',
]

export const unknownQueryNames = ['foo', '__proto__', 'constructor', 'limit[]', 'sort[0]', 'LIMIT', 'updated_since', '']
