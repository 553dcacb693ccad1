/**
 * PostgreSQL's input rules for the types of the models language: whether a text is a value
 * the type's input function accepts (what `'…'::T` and a literal default do when the
 * migration runs). Where PostgreSQL accepts more than is checked here (date styles, time
 * zone names, PostgreSQL 16's `1_000` and `0x1F` integers, …) the text is refused: what is
 * accepted here is accepted by every PostgreSQL from 14 on.
 */
import net from 'node:net';

/** A PgType names a PostgreSQL type: `int4`, `text[]`, `enum:acme_status`, `unknown`. */
export type PgType = string;

/** What a literal check needs besides the text: the type's modifiers and the workspace's enums. */
export interface InputContext {
  /** Type modifiers: `[4, 2]` for numeric(4,2), `[50]` for varchar(50). */
  readonly typmods?: readonly number[];
  /** The values of an enum, by name; undefined for an enum the workspace does not know. */
  readonly enumValues?: (name: string) => readonly string[] | undefined;
}

/** The models-language spelling of a PostgreSQL type, for messages. */
export function displayType(t: PgType, typmods: readonly number[] = []): string {
  if (t.endsWith('[]')) return `${displayType(t.slice(0, -2), typmods)}[]`;
  if (t.startsWith('enum:')) return t.slice(5);
  const name = DISPLAY[t] ?? t;
  return typmods.length ? `${name}(${typmods.join(',')})` : name;
}

const DISPLAY: Readonly<Record<string, string>> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean',
  bpchar: 'char', timetz: 'time with time zone', unknown: 'unknown',
};

/** `a`/`an` and the type's name. */
export function aType(t: PgType, typmods: readonly number[] = []): string {
  const name = displayType(t, typmods);
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** Why `text` is not a valid input of the type `t`, or undefined when it is. */
export function inputProblem(text: string, t: PgType, ctx: InputContext = {}): string | undefined {
  if (t.endsWith('[]')) return arrayProblem(text, t.slice(0, -2), ctx);
  if (t.startsWith('enum:')) return enumProblem(text, t.slice(5), ctx);
  const check = CHECKS[t];
  if (check === undefined) return `schemac cannot check a literal of type ${displayType(t)}`;
  return check(text, ctx.typmods ?? []);
}

type Check = (text: string, typmods: readonly number[]) => string | undefined;

const SPACE = '[ \\t\\n\\r\\v\\f]*';
const trimmed = (text: string): string => text.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');

const CHECKS: Readonly<Record<string, Check>> = {
  int2: (s) => integerProblem(s, 16),
  int4: (s) => integerProblem(s, 32),
  int8: (s) => integerProblem(s, 64),
  numeric: numericProblem,
  float4: (s) => floatProblem(s, 'real'),
  float8: (s) => floatProblem(s, 'double precision'),
  bool: (s) => (parseBool(s) === undefined ? 'is not a boolean (true/false, yes/no, on/off, 1/0)' : undefined),
  text: () => undefined,
  name: () => undefined,
  varchar: () => undefined,
  bpchar: () => undefined,
  uuid: (s) => (isUuid(s) ? undefined : 'is not a UUID'),
  date: (s) => dateProblem(s),
  time: (s) => timeProblem(s, false),
  timetz: (s) => timeProblem(s, true),
  timestamp: (s) => timestampProblem(s),
  timestamptz: (s) => timestampProblem(s),
  interval: (s) => intervalProblem(s),
  json: (s) => jsonProblem(s),
  jsonb: (s) => jsonProblem(s),
  bytea: (s) => byteaProblem(s),
  inet: (s) => inetProblem(s, false),
  cidr: (s) => inetProblem(s, true),
  vector: vectorProblem,
  halfvec: (s, typmods) => vectorProblem(s, typmods, 'halfvec'),
  sparsevec: sparsevecProblem,
  citext: () => undefined,
};

const INTEGER = new RegExp(`^${SPACE}([+-]?)([0-9]+)${SPACE}$`);

function integerProblem(s: string, bits: 16 | 32 | 64): string | undefined {
  const m = INTEGER.exec(s);
  const name = bits === 16 ? 'smallint' : bits === 32 ? 'integer' : 'bigint';
  if (m === null) return `is not ${bits === 32 ? 'an' : 'a'} ${name}`;
  const v = BigInt(`${m[1]}${m[2]}`);
  const max = (1n << BigInt(bits - 1)) - 1n;
  return v > max || v < -max - 1n ? `is out of range for ${name}` : undefined;
}

const DECIMAL = new RegExp(`^${SPACE}([+-]?)([0-9]*)(?:\\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?${SPACE}$`);
/** numeric's input reads its exponent with strtol, which skips spaces: `1e 3`. */
const NUMERIC_DECIMAL = new RegExp(`^${SPACE}([+-]?)([0-9]*)(?:\\.([0-9]*))?(?:[eE]${SPACE}([+-]?[0-9]+))?${SPACE}$`);
const NUMERIC_SPECIAL = new RegExp(`^${SPACE}(nan|[+-]?(?:infinity|inf))${SPACE}$`, 'i');

/** A decimal number as digits and a power of ten: `-12.5` is {negative, digits 125, exponent -1}. */
interface Decimal { readonly negative: boolean; readonly digits: string; readonly exponent: number }

function parseDecimal(s: string, pattern: RegExp = DECIMAL): Decimal | undefined {
  const m = pattern.exec(s);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp)) return undefined;
  return { negative: m[1] === '-', digits: `${m[2]}${fraction}`.replace(/^0+(?=\d)/, ''), exponent: exp - fraction.length };
}

function numericProblem(s: string, typmods: readonly number[]): string | undefined {
  const special = NUMERIC_SPECIAL.exec(s);
  if (special !== null) return typmods.length > 0 && special[1].toLowerCase() !== 'nan' ? `cannot be stored in numeric(${typmods.join(',')}), which holds no infinity` : undefined;
  const d = parseDecimal(s, NUMERIC_DECIMAL);
  if (d === undefined) return 'is not a number';
  if (Math.abs(d.exponent) > 1000 || d.digits.length > 1000) return 'has more digits than schemac checks (1000)';
  if (typmods.length === 0) return undefined;
  const [precision, scale = 0] = typmods;
  const rounded = roundTo(d, scale);
  const integerDigits = rounded.replace(/^0+/, '').length - scale;
  if (integerDigits > precision - scale) {
    const digits = precision - scale;
    const limit = digits <= 9 ? `1${'0'.repeat(digits)}` : `10^${digits}`;
    return `does not fit numeric(${typmods.join(',')}) once rounded to ${scale} decimal place${scale === 1 ? '' : 's'} (its values stay below ${limit} in magnitude)`;
  }
  return undefined;
}

/** The decimal's absolute value rounded half away from zero to `scale` places, as its digits (the value × 10^scale). */
function roundTo(d: Decimal, scale: number): string {
  const shift = d.exponent + scale;
  if (shift >= 0) return d.digits + '0'.repeat(shift);
  const keep = d.digits.length + shift;
  if (keep < 0) return '0';
  const head = keep === 0 ? 0n : BigInt(d.digits.slice(0, keep));
  return String(Number(d.digits[keep]) >= 5 ? head + 1n : head);
}

const FLOAT_SPECIAL = new RegExp(`^${SPACE}[+-]?(nan|infinity|inf)${SPACE}$`, 'i');

function floatProblem(s: string, name: 'real' | 'double precision'): string | undefined {
  if (FLOAT_SPECIAL.test(s)) return undefined;
  const d = parseDecimal(s);
  if (d === undefined && /^\s*[+-]?0x/i.test(s)) return 'is a hexadecimal number, which schemac does not read';
  if (d === undefined) return `is not ${name === 'real' ? 'a real' : 'a double precision'} number`;
  const zero = /^0*$/.test(d.digits);
  const v = zero ? 0 : Math.abs(Number(`${d.digits}e${d.exponent}`));
  const [max, min] = name === 'real' ? [3.4028234e38, 1.5e-45] : [Number.MAX_VALUE, Number.MIN_VALUE];
  return v > max || (!zero && v < min) ? `is out of range for ${name}` : undefined;
}

/** PostgreSQL's boolean spellings (any unique prefix of true/false/yes/no, on/off, 1/0), or undefined. */
export function parseBool(s: string): boolean | undefined {
  const t = trimmed(s).toLowerCase();
  if (t === '') return undefined;
  if ('true'.startsWith(t) || 'yes'.startsWith(t) || t === 'on' || t === '1') return true;
  if ('false'.startsWith(t) || 'no'.startsWith(t) || t === 'off' || t === 'of' || t === '0') return false;
  return undefined;
}

/** PostgreSQL's uuid input: 32 hex digits, a hyphen allowed after any group of four, optionally in braces. */
function isUuid(s: string): boolean {
  let body = s;
  if (body.startsWith('{')) {
    if (!body.endsWith('}')) return false;
    body = body.slice(1, -1);
  }
  return /^[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}$/.test(body);
}

const DATE_WORDS = new Set(['epoch', 'infinity', '-infinity', 'now', 'today', 'tomorrow', 'yesterday']);
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function dateProblem(s: string): string | undefined {
  const t = trimmed(s);
  if (DATE_WORDS.has(t.toLowerCase())) return undefined;
  const m = ISO_DATE.exec(t);
  if (m === null) return "is not a date 'YYYY-MM-DD'";
  return calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]));
}

function calendarProblem(year: number, month: number, day: number): string | undefined {
  if (year < 1) return 'has year 0, which PostgreSQL has not (1 BC precedes 1 AD)';
  if (month < 1 || month > 12) return `has month ${month}`;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day < 1 || day > days ? `is not a day of the calendar (${String(month).padStart(2, '0')}/${year} has ${days} days)` : undefined;
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

/** Why a time of day `hh:mm[:ss[.frac]]` is not one, or undefined. */
function clockProblem(t: string): string | undefined {
  const m = TIME.exec(t);
  if (m === null) return "is not a time 'HH:MM[:SS]'";
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const whole = /^0*$/.test(m[4] ?? '');
  if ((h === 24 && min === 0 && sec === 0 && whole) || (h <= 23 && min <= 59 && sec === 60 && whole)) return undefined;
  return h > 23 || min > 59 || sec > 59 ? 'is not a time of day' : undefined;
}

const ZONE = /^(?:[+-](\d{1,2})(?::?(\d{2}))?|z|utc)$/i;

function zoneProblem(zone: string): string | undefined {
  const m = ZONE.exec(zone);
  if (m === null) return `has the time zone '${zone}', which schemac does not check (write an offset like +02:00, or Z)`;
  return m[1] !== undefined && (Number(m[1]) > 15 || Number(m[2] ?? 0) > 59) ? 'has a time zone offset out of range (±15:59)' : undefined;
}

function timeProblem(s: string, withZone: boolean): string | undefined {
  const t = trimmed(s);
  if (t.toLowerCase() === 'allballs') return undefined;
  const m = /^(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(.*)$/.exec(t);
  if (m === null) return "is not a time 'HH:MM[:SS]'";
  return clockProblem(m[1]) ?? (m[2] === '' ? undefined : withZone ? zoneProblem(m[2]) : 'has a time zone, which a time without time zone does not take');
}

const TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T| +)(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(.*)$/i;

function timestampProblem(s: string): string | undefined {
  const t = trimmed(s);
  if (DATE_WORDS.has(t.toLowerCase())) return undefined;
  const m = TIMESTAMP.exec(t);
  if (m === null) return "is not a timestamp 'YYYY-MM-DD[ HH:MM[:SS]][+zone]'";
  const zone = m[5];
  if (zone !== '' && m[4] === undefined) return "is not a timestamp 'YYYY-MM-DD[ HH:MM[:SS]][+zone]'";
  return calendarProblem(Number(m[1]), Number(m[2]), Number(m[3])) ?? (m[4] === undefined ? undefined : clockProblem(m[4])) ?? (zone === '' ? undefined : zoneProblem(zone));
}

/** The interval units schemac checks, by spelling, with their share of a month or a microsecond. */
const INTERVAL_UNITS: ReadonlyMap<string, string> = new Map([
  ...['microsecond', 'microseconds', 'us', 'usec', 'usecs', 'usecond', 'useconds'].map((u) => [u, 'microsecond'] as const),
  ...['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds'].map((u) => [u, 'millisecond'] as const),
  ...['second', 'seconds', 's', 'sec', 'secs'].map((u) => [u, 'second'] as const),
  ...['minute', 'minutes', 'm', 'min', 'mins'].map((u) => [u, 'minute'] as const),
  ...['hour', 'hours', 'h', 'hr', 'hrs'].map((u) => [u, 'hour'] as const),
  ...['day', 'days', 'd'].map((u) => [u, 'day'] as const),
  ...['week', 'weeks', 'w'].map((u) => [u, 'week'] as const),
  ...['month', 'months', 'mon', 'mons'].map((u) => [u, 'month'] as const),
  ...['year', 'years', 'y', 'yr', 'yrs'].map((u) => [u, 'year'] as const),
  ...['decade', 'decades', 'dec', 'decs'].map((u) => [u, 'decade'] as const),
  ...['century', 'centuries', 'c', 'cent'].map((u) => [u, 'century'] as const),
  ...['millennium', 'millennia', 'mil', 'mils'].map((u) => [u, 'millennium'] as const),
]);

/** Months in each unit counted in months (for the range check); the others count days or less. */
const MONTHS: Readonly<Record<string, number>> = { month: 1, year: 12, decade: 120, century: 1200, millennium: 12000 };

const INTERVAL_FIELD = /^([+-]?\d{1,6}(?:\.\d{1,6})?)\s*([a-z]+)$/i;
const INTERVAL_CLOCK = /^[+-]?\d{1,6}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$/;
const ISO_INTERVAL = /^P(?:([+-]?\d{1,6}(?:\.\d{1,6})?)Y)?(?:([+-]?\d{1,6}(?:\.\d{1,6})?)M)?(?:([+-]?\d{1,6}(?:\.\d{1,6})?)W)?(?:([+-]?\d{1,6}(?:\.\d{1,6})?)D)?(?:T(?:([+-]?\d{1,6}(?:\.\d{1,6})?)H)?(?:([+-]?\d{1,6}(?:\.\d{1,6})?)M)?(?:([+-]?\d{1,6}(?:\.\d{1,6})?)S)?)?$/;

function intervalProblem(s: string): string | undefined {
  const expected = "is not an interval ('1 day', '2 hours 30 minutes', '01:30:00', 'P1DT2H'…)";
  if (ISO_INTERVAL.test(s)) return /\d/.test(s) && !/T$/.test(s) ? undefined : expected;
  let t = trimmed(s);
  if (ISO_INTERVAL.test(t)) return 'has spaces around an ISO 8601 interval, which PostgreSQL does not take';
  if (t.startsWith('@')) t = t.slice(1).trim();
  const words = t.split(/[ \t\n\r\v\f]+/).filter((w) => w !== '');
  const ago = words.length > 0 && words[words.length - 1].toLowerCase() === 'ago';
  if (ago) words.pop();
  const bare = !ago && words.length > 0 && /^[+-]?\d{1,6}(?:\.\d{1,6})?$/.test(words[words.length - 1]) ? words.pop() : undefined;
  if (words.length === 0 && bare === undefined) return expected;
  const fields = joinUnits(words);
  if (fields === undefined) return expected;
  const seen = new Set<string>();
  let months = 0;
  for (const f of fields) {
    if (INTERVAL_CLOCK.test(f)) {
      if (seen.has('clock') || seen.has('hour') || seen.has('minute') || seen.has('second')) return expected;
      const [, mm, ss] = f.replace(/^[+-]/, '').split(':');
      if (Number(mm) > 59 || Number(ss ?? 0) >= 61) return 'has minutes or seconds out of range';
      seen.add('clock');
      continue;
    }
    const m = INTERVAL_FIELD.exec(f);
    const unit = m === null ? undefined : INTERVAL_UNITS.get(m[2].toLowerCase());
    if (m === null || unit === undefined || seen.has(unit) || (seen.has('clock') && ['hour', 'minute', 'second'].includes(unit))) return expected;
    seen.add(unit);
    months += Math.abs(Number(m[1])) * (MONTHS[unit] ?? 0);
  }
  if (bare !== undefined && (seen.has('second') || seen.has('clock'))) return expected;
  return months >= 2 ** 31 - 1 ? 'is out of range for an interval' : undefined;
}

/** The interval's fields: a number and its unit (`1 day`, `1day`) or a clock `hh:mm[:ss]`; undefined at anything else. */
function joinUnits(words: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (INTERVAL_CLOCK.test(w) || INTERVAL_FIELD.test(w)) out.push(w);
    else if (/^[+-]?\d{1,6}(?:\.\d{1,6})?$/.test(w) && i + 1 < words.length && /^[a-z]+$/i.test(words[i + 1])) out.push(`${w} ${words[++i]}`);
    else return undefined;
  }
  return out;
}

/** PostgreSQL's JSON (RFC 8259): also refused, \u0000 (jsonb cannot hold it), lone surrogates and exponents past ±1000. */
export function jsonProblem(s: string): string | undefined {
  const p = { s, i: 0, depth: 0 };
  try {
    skipSpace(p);
    jsonValue(p);
    skipSpace(p);
    return p.i === s.length ? undefined : `is not JSON: unexpected text at character ${p.i + 1}`;
  } catch (e) {
    return `is not JSON: ${(e as Error).message}`;
  }
}

interface JsonCursor { readonly s: string; i: number; depth: number }

function skipSpace(p: JsonCursor): void {
  while (p.i < p.s.length && ' \t\n\r'.includes(p.s[p.i])) p.i++;
}

function jsonValue(p: JsonCursor): void {
  const c = p.s[p.i];
  if (c === '{' || c === '[') return jsonContainer(p, c === '{' ? '}' : ']');
  if (c === '"') return jsonString(p);
  const word = /^(true|false|null)/.exec(p.s.slice(p.i, p.i + 5));
  if (word) {
    p.i += word[1].length;
    return;
  }
  const n = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?(\d+))?/.exec(p.s.slice(p.i, p.i + 1100));
  if (n === null) throw new Error(`unexpected ${c === undefined ? 'end' : `'${c}'`} at character ${p.i + 1}`);
  if (n[4] !== undefined && Number(n[4]) > 1000) throw new Error('a number with an exponent past 1000');
  p.i += n[0].length;
}

function jsonContainer(p: JsonCursor, close: string): void {
  if (++p.depth > 1000) throw new Error('nested more than 1000 deep');
  p.i++;
  skipSpace(p);
  if (p.s[p.i] === close) {
    p.i++;
    p.depth--;
    return;
  }
  for (;;) {
    if (close === '}') {
      if (p.s[p.i] !== '"') throw new Error(`expected a key at character ${p.i + 1}`);
      jsonString(p);
      skipSpace(p);
      if (p.s[p.i++] !== ':') throw new Error(`expected ':' at character ${p.i}`);
      skipSpace(p);
    }
    jsonValue(p);
    skipSpace(p);
    const c = p.s[p.i++];
    if (c === close) break;
    if (c !== ',') throw new Error(`expected ',' or '${close}' at character ${p.i}`);
    skipSpace(p);
  }
  p.depth--;
}

function jsonString(p: JsonCursor): void {
  p.i++;
  let pendingHigh = false;
  for (;;) {
    const c = p.s[p.i++];
    if (c === undefined) throw new Error('an unterminated string');
    if (c === '"') break;
    if (c.charCodeAt(0) < 0x20) throw new Error(`a control character in a string at character ${p.i}`);
    if (c !== '\\') {
      if (pendingHigh) throw new Error('a lone Unicode surrogate escape');
      continue;
    }
    const e = p.s[p.i++];
    if (e === 'u') {
      const hex = p.s.slice(p.i, p.i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`a bad \\u escape at character ${p.i}`);
      p.i += 4;
      const code = parseInt(hex, 16);
      if (code === 0) throw new Error('\\u0000, which jsonb cannot hold');
      const high = code >= 0xd800 && code <= 0xdbff;
      const low = code >= 0xdc00 && code <= 0xdfff;
      if (low !== pendingHigh) throw new Error('a lone Unicode surrogate escape');
      pendingHigh = high;
      continue;
    }
    if (pendingHigh) throw new Error('a lone Unicode surrogate escape');
    if (!'"\\/bfnrt'.includes(e ?? '')) throw new Error(`a bad escape at character ${p.i}`);
  }
  if (pendingHigh) throw new Error('a lone Unicode surrogate escape');
}

function byteaProblem(s: string): string | undefined {
  if (s.startsWith('\\x')) {
    return /^(?:[ \n\t\r]*[0-9a-fA-F]{2})*[ \n\t\r]*$/.test(s.slice(2)) ? undefined : "is not bytea: after '\\x' come pairs of hex digits";
  }
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') continue;
    if (s[i + 1] === '\\') i++;
    else if (/^[0-3][0-7]{2}$/.test(s.slice(i + 1, i + 4))) i += 3;
    else return "is not bytea: a backslash starts '\\\\' or an octal escape '\\ooo' (or '\\x' and hex digits)";
  }
  return undefined;
}

function inetProblem(s: string, cidr: boolean): string | undefined {
  const what = cidr ? 'a network (cidr)' : 'an IP address';
  const m = /^([^/]+)(?:\/(0|[1-9]\d{0,2}))?$/.exec(s);
  const form = `is not ${what} in a form schemac reads (a.b.c.d or IPv6, then /bits)`;
  if (m === null) return form;
  const [, address, bits] = m;
  const v4 = net.isIPv4(address) && address.split('.').every((o) => o === '0' || !o.startsWith('0'));
  const v6 = !v4 && !address.includes('%') && net.isIPv6(address);
  if (!v4 && !v6) return form;
  const width = v4 ? 32 : 128;
  if (bits !== undefined && Number(bits) > width) return `has a prefix length past /${width}`;
  if (!cidr) return undefined;
  const prefix = bits === undefined ? width : Number(bits);
  const value = v4 ? address.split('.').reduce((a, o) => (a << 8n) + BigInt(o), 0n) : ipv6Value(address);
  const host = (1n << BigInt(width - prefix)) - 1n;
  return (value & host) === 0n ? undefined : 'has bits set to the right of its prefix (a cidr names a network)';
}

function ipv6Value(address: string): bigint {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4[1].split('.').map(Number);
    text = `${text.slice(0, -v4[1].length)}${((n[0] << 8) | n[1]).toString(16)}:${((n[2] << 8) | n[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parts = (x: string | undefined) => (x ? x.split(':') : []);
  const groups = tail === undefined ? parts(head) : [...parts(head), ...Array(8 - parts(head).length - parts(tail).length).fill('0'), ...parts(tail)];
  return groups.reduce((a, g) => (a << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function vectorProblem(s: string, typmods: readonly number[], type: 'vector' | 'halfvec' = 'vector'): string | undefined {
  const m = /^\s*\[(.*)\]\s*$/s.exec(s);
  if (m === null) return `is not a ${type} '[1, 2, 3]'`;
  const items = m[1].split(',');
  if (items.some((x) => parseDecimal(x.trim()) === undefined)) return `is not a ${type} of finite numbers`;
  if (items.some((x) => floatProblem(x, 'real') !== undefined || (type === 'halfvec' && Math.abs(Number(x)) > HALF_MAX))) return `has a value out of range for a ${type}`;
  const dims = typmods[0];
  return dims !== undefined && items.length !== dims ? `has ${items.length} dimensions, not ${dims}` : undefined;
}

/** The largest finite half-precision float (a halfvec element). */
const HALF_MAX = 65504;

/** pgvector's sparse vector text, `{index:value, …}/dimensions` (indexes from 1, each once). */
function sparsevecProblem(s: string, typmods: readonly number[]): string | undefined {
  const m = /^\s*\{(.*)\}\s*\/\s*(\d+)\s*$/s.exec(s);
  if (m === null) return "is not a sparsevec '{1:0.5,3:2}/5'";
  const dims = Number(m[2]);
  const pairs = m[1].trim() === '' ? [] : m[1].split(',').map((p) => p.split(':'));
  if (pairs.some((p) => p.length !== 2 || !/^\s*\d+\s*$/.test(p[0]) || parseDecimal(p[1].trim()) === undefined)) return "is not a sparsevec '{1:0.5,3:2}/5' of finite numbers";
  if (pairs.some((p) => floatProblem(p[1], 'real') !== undefined)) return 'has a value out of range for a sparsevec';
  const indexes = pairs.map((p) => Number(p[0]));
  if (indexes.some((i) => i < 1 || i > dims)) return `has an index outside 1..${dims}`;
  if (new Set(indexes).size !== indexes.length) return 'has an index twice';
  return typmods[0] !== undefined && dims !== typmods[0] ? `has ${dims} dimensions, not ${typmods[0]}` : undefined;
}

function enumProblem(text: string, name: string, ctx: InputContext): string | undefined {
  const values = ctx.enumValues?.(name);
  if (values === undefined) return undefined;
  return values.includes(text) ? undefined : `is not a value of enum ${name} (${values.join(', ')})`;
}

/** An element of an array literal: its text, or null for NULL. */
type ArrayItem = string | null;

function arrayProblem(text: string, element: PgType, ctx: InputContext): string | undefined {
  const items = parseArray(text);
  if (typeof items === 'string') return `is not an array literal: ${items}`;
  for (const item of items) {
    if (item === null) continue;
    const p = inputProblem(item, element, ctx);
    if (p !== undefined) return `has an element ${JSON.stringify(item)} that ${p}`;
  }
  return undefined;
}

/**
 * The elements of PostgreSQL's array literal `{a,"b c",NULL,{…}}` (rectangular nesting
 * flattened), or why it is not one. Dimension decorations (`[1:2]={…}`) are not taken.
 */
export function parseArray(text: string): ArrayItem[] | string {
  const s = trimmed(text);
  if (!s.startsWith('{')) return "it starts with '{'";
  const out: ArrayItem[] = [];
  const p = { s, i: 0 };
  const shape = arrayLevel(p, out, 0);
  if (typeof shape === 'string') return shape;
  return p.i === s.length ? out : 'text after the closing brace';
}

/** Parses `{…}` at the cursor; returns the dimensions below it (for the rectangular check) or a problem. */
function arrayLevel(p: { s: string; i: number }, out: ArrayItem[], depth: number): number[] | string {
  p.i++;
  let inner: number[] | undefined;
  let count = 0;
  skipArraySpace(p);
  if (p.s[p.i] === '}') {
    p.i++;
    return depth === 0 ? [0] : 'an empty sub-array';
  }
  for (;;) {
    skipArraySpace(p);
    if (p.s[p.i] === '{') {
      const dims = arrayLevel(p, out, depth + 1);
      if (typeof dims === 'string') return dims;
      if (inner !== undefined && inner.join() !== dims.join()) return 'sub-arrays of different sizes';
      if (inner === undefined && count > 0) return 'a sub-array next to a plain element';
      inner = dims;
    } else {
      if (inner !== undefined) return 'a plain element next to a sub-array';
      const item = arrayElement(p);
      if (item === undefined) return 'a malformed element';
      out.push(item);
    }
    count++;
    skipArraySpace(p);
    const c = p.s[p.i++];
    if (c === '}') return [count, ...(inner ?? [])];
    if (c !== ',') return "elements are separated by ','";
  }
}

function skipArraySpace(p: { s: string; i: number }): void {
  while (p.i < p.s.length && ' \t\n\r\v\f'.includes(p.s[p.i])) p.i++;
}

function arrayElement(p: { s: string; i: number }): ArrayItem | undefined {
  if (p.s[p.i] === '"') {
    let v = '';
    for (p.i++; p.i < p.s.length && p.s[p.i] !== '"'; p.i++) v += p.s[p.i] === '\\' ? p.s[++p.i] ?? '' : p.s[p.i];
    if (p.s[p.i++] !== '"') return undefined;
    return v;
  }
  let v = '';
  let escaped = false;
  while (p.i < p.s.length && !',}{"'.includes(p.s[p.i])) {
    if (p.s[p.i] === '\\') {
      escaped = true;
      p.i++;
    }
    v += p.s[p.i++] ?? '';
  }
  const value = v.replace(/[ \t\n\r\v\f]+$/, '');
  if (value === '') return undefined;
  return !escaped && value.toLowerCase() === 'null' ? null : value;
}
