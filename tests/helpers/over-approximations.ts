/**
 * The documented over-approximations of schemac's static typing: what it refuses though
 * PostgreSQL would take it, by the message of the rule that refuses. The PostgreSQL-backed
 * tests (tests/pg-typing.test.ts) and the proof campaign (tests/proof/static.ts) accept a
 * refusal PostgreSQL does not share only when its message is one of these.
 */

/**
 * Literal forms schemac does not read: other date styles and time zone names, intervals
 * beyond the units and shapes it knows, PostgreSQL 16's integers, hexadecimal floats, IPv4
 * abbreviations, array dimension decorations, numbers past 1000 digits or exponents, JSON
 * escapes jsonb refuses (taken by json), denormal reals near the smallest one.
 */
export const OVER_APPROXIMATIONS: ReadonlyArray<RegExp> = [
  /is not a date 'YYYY-MM-DD'/, /is not a timestamp/, /has the time zone/, /a time without time zone does not take/, /is not an interval/,
  /exponent past 1000/, /\\u0000/, /lone Unicode surrogate/, /in a form schemac reads/, /is not an array literal: it starts with/,
  /is out of range for real/, /more digits than schemac checks/, /is not a time/, /hexadecimal number/,
  // PostgreSQL before 17 takes some ragged nestings (`{{{1,2}},{3}}`); 17 refuses them.
  /sub-arrays of different sizes|a sub-array next to a plain element|a plain element next to a sub-array/,
  // A YAML literal default has the YAML type of its column: a number for a number column, a string for a
  // text, date or bytea column, true/false for a boolean (PostgreSQL would convert '01' or 99.9 for a smallint).
  /\(the column is .+\)$/,
  // Types whose literals schemac does not read (jsonpath, tsquery…): a literal PostgreSQL would read as one is refused.
  /schemac cannot check a literal of type/,
  // json[] and jsonb[] defaults are written {sql: …}: the literal {} happens to be an empty array literal.
  /cannot be written as a literal/,
];

/**
 * Refusals of what PostgreSQL's parse analysis passes but evaluation fails: a check, an
 * index predicate or a default that fails as soon as a row is checked, indexed or inserted.
 */
export const FAILS_LATER: ReadonlyArray<RegExp> = [
  /(GREATEST|LEAST) needs values that can be ordered, and json cannot/, /does not fit numeric\(\d+,\d+\)/, /which holds no infinity/,
  // A default of another type assigned to varchar(n) or char(n) is refused unless its text surely fits.
  /whose text may be longer than/,
  // Patterns are compiled when a row is checked: PostgreSQL's parse analysis takes any text.
  /is not a regular expression PostgreSQL compiles/, /LIKE pattern that ends with the escape character/,
];

/** Whether a refusal's message is a documented over-approximation. */
export function documented(message: string): boolean {
  return [...OVER_APPROXIMATIONS, ...FAILS_LATER].some((re) => re.test(message));
}
