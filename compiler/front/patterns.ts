/**
 * Pattern literals PostgreSQL compiles when a row is checked: regular expressions (`~`,
 * `~*`, `!~`, `!~*`, regexp_like, substring(… , pattern)) in PostgreSQL's advanced syntax
 * (ARE), and LIKE patterns. A pattern it cannot compile fails every insert, and the
 * migration that adds a check or an index predicate with it to a table that has rows. What
 * this checks is a subset of the syntax: a construct outside it is refused with a message
 * that says so.
 */

/** Why PostgreSQL's LIKE cannot use the pattern (a trailing escape character), or undefined. */
export function likeProblem(pattern: string): string | undefined {
  let escaped = false;
  for (const c of pattern) escaped = !escaped && c === '\\';
  return escaped ? 'is a LIKE pattern that ends with the escape character \\' : undefined;
}

const CLASSES = new Set(['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit', 'word']);

/** The subset's limit on bounds `{m,n}` (PostgreSQL's is 255). */
const MAX_BOUND = 255;

interface Re {
  readonly s: string;
  i: number;
  /** Capturing groups opened so far; a back reference names one that is closed. */
  groups: number;
  readonly closed: Set<number>;
}

/** Why PostgreSQL cannot compile the regular expression, or undefined when it can. */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.startsWith('***=')) return undefined;
  const body = pattern.startsWith('***:') ? pattern.slice(4) : pattern;
  const flags = /^\(\?([a-z]*)\)/.exec(body);
  if (flags && (/[^cimnpstw]/.test(flags[1]) || flags[1] === '')) return 'is a regular expression with options schemac does not check';
  const re: Re = { s: body, i: flags ? flags[0].length : 0, groups: 0, closed: new Set() };
  try {
    alternation(re);
    if (re.i < re.s.length) throw new Error(`an unmatched ')' at character ${re.i + 1}`);
    return undefined;
  } catch (e) {
    return `is not a regular expression PostgreSQL compiles: ${(e as Error).message}`;
  }
}

function alternation(re: Re): void {
  branch(re);
  while (re.s[re.i] === '|') {
    re.i++;
    branch(re);
  }
}

function branch(re: Re): void {
  while (re.i < re.s.length && re.s[re.i] !== '|' && re.s[re.i] !== ')') {
    const quantifiable = atom(re);
    if (quantifier(re) && !quantifiable) throw new Error(`a quantifier without an operand at character ${re.i}`);
  }
}

/** Reads one atom or constraint; true when a quantifier may follow it. */
function atom(re: Re): boolean {
  const c = re.s[re.i];
  if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d/.test(re.s.slice(re.i)))) throw new Error(`a quantifier without an operand at character ${re.i + 1}`);
  if (c === '^' || c === '$') {
    re.i++;
    return false;
  }
  if (c === '(') return group(re);
  if (c === '[') {
    bracket(re);
    return true;
  }
  if (c === '\\') return escape(re);
  re.i++;
  return true;
}

function group(re: Re): boolean {
  const look = /^\(\?(=|!|<=|<!)/.exec(re.s.slice(re.i));
  let capture: number | undefined;
  if (look) re.i += look[0].length;
  else if (re.s.startsWith('(?:', re.i)) re.i += 3;
  else if (re.s.startsWith('(?', re.i)) throw new Error(`a group '(?' schemac does not check at character ${re.i + 1}`);
  else {
    re.i++;
    capture = ++re.groups;
  }
  alternation(re);
  if (re.s[re.i] !== ')') throw new Error("an unclosed '('");
  re.i++;
  if (capture !== undefined) re.closed.add(capture);
  return look === null;
}

/** Reads a quantifier if one is next; true when it did. */
function quantifier(re: Re): boolean {
  const c = re.s[re.i];
  if (c === '*' || c === '+' || c === '?') re.i++;
  else if (c === '{' && /^\{\d/.test(re.s.slice(re.i))) {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(re.s.slice(re.i));
    if (m === null) throw new Error(`a malformed bound at character ${re.i + 1}`);
    const [min, max] = [Number(m[1]), m[3] === undefined || m[3] === '' ? undefined : Number(m[3])];
    if (min > MAX_BOUND || (max !== undefined && (max > MAX_BOUND || max < min))) throw new Error(`the bound ${m[0]} is invalid`);
    re.i += m[0].length;
  } else return false;
  if (re.s[re.i] === '?') re.i++;
  const next = re.s[re.i];
  if (next === '*' || next === '+' || next === '?' || (next === '{' && /^\{\d/.test(re.s.slice(re.i)))) throw new Error(`a quantifier on a quantifier at character ${re.i + 1}`);
  return true;
}

/** The escapes of an ARE outside brackets; true when a quantifier may follow. */
function escape(re: Re): boolean {
  const c = re.s[re.i + 1];
  if (c === undefined) throw new Error('a trailing backslash');
  re.i += 2;
  if (/[^A-Za-z0-9]/.test(c)) return true;
  if ('AmMyYZ'.includes(c)) return false;
  if ('dswDSWaefnrtv'.includes(c)) return true;
  if (c >= '1' && c <= '9') {
    if (!re.closed.has(Number(c))) throw new Error(`the back reference \\${c} names no closed group`);
    return true;
  }
  if (c === 'x' && /^[0-9a-fA-F]{1,2}(?![0-9a-fA-F])/.test(re.s.slice(re.i))) {
    re.i += /^[0-9a-fA-F]{1,2}/.exec(re.s.slice(re.i))![0].length;
    return true;
  }
  if (c === 'u' && /^[0-9a-fA-F]{4}/.test(re.s.slice(re.i))) {
    re.i += 4;
    return true;
  }
  throw new Error(`the escape \\${c}, which schemac does not check`);
}

function bracket(re: Re): void {
  re.i++;
  if (re.s[re.i] === '^') re.i++;
  let first = true;
  let previous: string | undefined;
  while (re.i < re.s.length && (re.s[re.i] !== ']' || first)) {
    first = false;
    const c = re.s[re.i];
    if (c === '[' && /^\[[:.=]/.test(re.s.slice(re.i))) {
      const m = /^\[:([a-z]+):\]/.exec(re.s.slice(re.i));
      if (m === null || !CLASSES.has(m[1])) throw new Error(`a bracket construct schemac does not check at character ${re.i + 1}`);
      re.i += m[0].length;
      previous = undefined;
      continue;
    }
    if (c === '\\') {
      const e = re.s[re.i + 1];
      if (e === undefined || /[A-Za-z0-9]/.test(e) && !'dswnrtfv'.includes(e)) throw new Error(`the escape \\${e ?? ''} in brackets, which schemac does not check`);
      re.i += 2;
      previous = /[dswDSW]/.test(e) ? undefined : e;
      continue;
    }
    if (c === '-' && previous !== undefined && re.s[re.i + 1] !== undefined && re.s[re.i + 1] !== ']') {
      const to = re.s[re.i + 1];
      if (to === '[' || to === '\\') throw new Error(`a range schemac does not check at character ${re.i + 1}`);
      if (to.codePointAt(0)! < previous.codePointAt(0)!) throw new Error(`the range ${previous}-${to} runs backwards`);
      re.i += 2;
      previous = undefined;
      continue;
    }
    previous = c;
    re.i++;
  }
  if (re.s[re.i] !== ']') throw new Error("an unclosed '['");
  re.i++;
}
