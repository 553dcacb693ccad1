/**
 * The types of SQL fragments (checks, index predicates, `{sql:}` defaults), found before
 * PostgreSQL finds them at `migrate up`: every node of the expression gets a type, as
 * PostgreSQL's parse analysis gives it (columns from the table, string literals of unknown
 * type coerced to what they meet, operators, functions and common types chosen by
 * `pg-types.ts`); a literal that is no valid value of its type, an operator or function
 * that does not exist for its arguments, a cast that does not exist, a check that is not a
 * boolean, a default the column cannot take: each is an error at its place in the fragment.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { ColumnDef, Fragment, Span, TableDef, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { PgType } from './literals.ts';
import { aType, displayType, inputProblem } from './literals.ts';
import type { Resolved, Unresolved } from './pg-types.ts';
import { coercible, columnPgType, columnTypes, commonType, elementOf, functionSignatures, resolveFunction, resolveOperator } from './pg-types.ts';
import { locator } from './fragment-locator.ts';
import type { CastTarget, Expr } from './sql-expr.ts';
import { likeProblem, regexProblem } from './patterns.ts';
import { exprFromTree, parseExpr, refersToColumn } from './sql-expr.ts';
import { TYPE_EXTENSIONS } from './type-ref.ts';

/** A column's type as typing sees it. */
export interface TypedColumn {
  readonly type: PgType;
  readonly typmods: readonly number[];
}

/** What a fragment must be: a boolean (a check, an index predicate), a value of its column (a default), or anything. */
export type Expectation =
  | { readonly kind: 'any' }
  | { readonly kind: 'boolean'; readonly what: 'CHECK' | 'WHERE' }
  | { readonly kind: 'column'; readonly name: string; readonly type: PgType; readonly typmods: readonly number[] };

/** What typing a fragment needs: the table's columns, the workspace's enums, the extensions, the expectation. */
export interface TypingContext {
  readonly columns: ReadonlyMap<string, TypedColumn>;
  readonly enums: ReadonlyMap<string, readonly string[]>;
  /** The extensions the fragment's owner declares (core's count for everyone). */
  readonly extensions: ReadonlySet<string>;
  readonly expect: Expectation;
}

/** A TypeProblem is a type error at an offset in the fragment. */
export interface TypeProblem {
  readonly code: 'invalid-literal' | 'type-mismatch';
  readonly offset?: number;
  readonly message: string;
  readonly hint?: string;
}

/**
 * The type errors of a fragment the recogniser accepted, as diagnostics; undefined when its
 * text is not in the shapes `parseExpr` reads (the PostgreSQL parser's check then types it).
 */
export function typeFragment(fragment: Fragment, ctx: TypingContext, source: string | undefined): Diagnostic[] | undefined {
  const expr = parseExpr(fragment.sql);
  if (expr === undefined) return undefined;
  const at = locator(fragment, source);
  return typeProblems(expr, ctx).map((p) => error(p.code, at(p.offset), p.message, p.hint));
}

/** The type errors of a fragment as diagnostics, from the PostgreSQL parser's tree (`shift`: what its locations count before the fragment). */
export function typeParsedFragment(fragment: Fragment, parsed: { tree: unknown; shift: number }, ctx: TypingContext, source: string | undefined): Diagnostic[] {
  const at = locator(fragment, source);
  return typeProblems(exprFromTree(parsed.tree, parsed.shift), ctx).map((p) => error(p.code, at(p.offset), p.message, p.hint));
}

/** The type errors of an expression in its context. */
export function typeProblems(expr: Expr, ctx: TypingContext): TypeProblem[] {
  return typeExpr(expr, ctx).problems;
}

/** The type of an expression (`any` when typing does not follow it) and its type errors in its context. */
export function typeExpr(expr: Expr, ctx: TypingContext): { type: PgType; problems: TypeProblem[] } {
  const typer = new Typer(ctx);
  try {
    const top = typer.type(expr);
    if (typer.problems.length === 0) typer.expectTop(expr, top);
    return { type: top.t, problems: typer.problems };
  } catch (e) {
    // Never a stack trace, and never an acceptance schemac cannot vouch for.
    return { type: 'any', problems: [{ code: 'type-mismatch', message: `schemac could not type this fragment (${(e as Error).message})`, hint: 'report it, with the fragment' }] };
  }
}

/** A text that says everything typing depends on, for caches of fragment verdicts. */
export function typingKey(ctx: TypingContext | undefined, sql: string): string {
  if (ctx === undefined) return '';
  const enums = [...ctx.enums].filter(([name]) => sql.includes(name) || [...ctx.columns.values()].some((c) => c.type.replace(/\[\]$/, '') === `enum:${name}`));
  return JSON.stringify([[...ctx.columns], ctx.expect, enums, [...ctx.extensions].sort()]);
}

/** A Typed is what typing knows of a node: its type, and the literal's text when it is an untyped literal. */
interface Typed {
  readonly t: PgType;
  readonly literal?: { readonly text: string; readonly at: number };
}

/** A node whose type is not known (a construct typing does not follow, or one already reported). */
const UNTYPED: Typed = { t: 'any' };

const REGEX_OPERATORS = new Set(['~', '~*', '!~', '!~*']);
const LIKE_OPERATORS = new Set(['~~', '!~~', '~~*', '!~~*']);

/** Collations every PostgreSQL server has, whatever its operating system's locales. */
const COLLATIONS = new Set(['C', 'POSIX', 'default', 'ucs_basic', 'pg_catalog.C', 'pg_catalog.POSIX', 'pg_catalog.default', 'pg_catalog.ucs_basic']);

const COLLATABLE = new Set(['text', 'varchar', 'bpchar', 'name', 'unknown']);

class Typer {
  readonly problems: TypeProblem[] = [];

  constructor(private readonly ctx: TypingContext) {}

  private fail(code: TypeProblem['code'], offset: number, message: string, hint?: string): Typed {
    if (this.problems.length < 5) this.problems.push({ code, offset: offset >= 0 ? offset : undefined, message, hint });
    return UNTYPED;
  }

  type(e: Expr): Typed {
    switch (e.k) {
      case 'column': return this.ctx.columns.get(e.name) === undefined ? UNTYPED : { t: this.ctx.columns.get(e.name)!.type };
      case 'string': return { t: 'unknown', literal: { text: e.text, at: e.at } };
      case 'number': return { t: numberType(e.text) };
      case 'bool': return { t: 'bool' };
      case 'null': return { t: 'unknown' };
      case 'clock': return { t: e.type };
      case 'op': return this.operator(e.op, e.left && this.type(e.left), this.type(e.right), e.at);
      case 'any': return this.anyArray(e);
      case 'bool-op':
        for (const a of e.args) this.boolean(this.type(a), e.what, a.at);
        return { t: 'bool' };
      case 'is-null':
        this.type(e.arg);
        return { t: 'bool' };
      case 'in': return this.inList(e);
      case 'between': {
        const [arg, low, high] = [this.type(e.arg), this.type(e.low), this.type(e.high)];
        this.comparison(e.negated ? '<' : '>=', arg, low, e.at);
        this.comparison(e.negated ? '>' : '<=', arg, high, e.at);
        return { t: 'bool' };
      }
      case 'is-truth':
        this.boolean(this.type(e.arg), e.what, e.arg.at);
        return { t: 'bool' };
      case 'cast': return this.cast(e.arg, e.type, e.at);
      case 'call': return this.call(e.name, e.args, e.at);
      case 'case': return this.caseExpr(e);
      case 'common': return this.common(e.what, e.args, e.at);
      case 'nullif': {
        return this.nullif(this.type(e.left), this.type(e.right), e.at);
      }
      case 'array': return this.array(e.elements, e.at);
      case 'subscript': return this.subscript(e);
      case 'collate': return this.collate(e.arg, e.collation, e.at);
      case 'opaque':
        for (const a of e.args) this.type(a);
        return UNTYPED;
    }
  }

  /** The operator `op` over the operands (left undefined for a prefix operator), its arguments coerced. */
  private operator(op: string, left: Typed | undefined, right: Typed, at: number): Typed {
    if (left?.t === 'any' || right.t === 'any') return UNTYPED;
    const r = resolveOperator(op, left?.t, right.t);
    const shown = left === undefined ? `${op} ${displayType(right.t)}` : `${displayType(left.t)} ${op} ${displayType(right.t)}`;
    if ('error' in r) return this.unresolved(r, at, `operator ${shown}`, 'cast an operand so both sides have types the operator takes');
    const args = left === undefined ? [right] : [left, right];
    args.forEach((a, i) => this.coerce(a, r.args[i]));
    if (r.args[1] === 'text') this.pattern(REGEX_OPERATORS.has(op) ? 'regex' : LIKE_OPERATORS.has(op) ? 'like' : undefined, right);
    return { t: r.result };
  }

  /** A literal regular expression or LIKE pattern must compile. */
  private pattern(kind: 'regex' | 'like' | undefined, a: Typed): void {
    if (kind === undefined || a.literal === undefined) return;
    const problem = kind === 'regex' ? regexProblem(a.literal.text) : likeProblem(a.literal.text);
    if (problem !== undefined) this.fail('invalid-literal', a.literal.at, `${quote(a.literal.text)} ${problem}`, kind === 'regex' ? 'PostgreSQL compiles the pattern when a row is checked: a check or predicate with it fails on every row' : 'escape a literal backslash as \\\\');
  }

  private unresolved(r: Unresolved, at: number, what: string, hint: string): Typed {
    if (r.error === 'ambiguous') return this.fail('type-mismatch', at, `${what} is ambiguous: PostgreSQL cannot choose among its candidates`, hint);
    if (r.error === 'polymorphic') return this.fail('type-mismatch', at, `${what}: PostgreSQL cannot tell the type of its untyped literals`, 'cast the literal, e.g. \'{1,2}\'::integer[]');
    return this.fail('type-mismatch', at, `${what} does not exist in PostgreSQL`, hint);
  }

  /** NULLIF(a, b): the `=` operator's; its type is the operator's left argument's. */
  private nullif(left: Typed, right: Typed, at: number): Typed {
    if (left.t === 'any' || right.t === 'any') return UNTYPED;
    const r = resolveOperator('=', left.t, right.t);
    if ('error' in r) return this.unresolved(r, at, `operator ${displayType(left.t)} = ${displayType(right.t)}`, 'cast an operand so both sides have types the operator takes');
    this.coerce(left, r.args[0]);
    this.coerce(right, r.args[1]);
    return { t: r.args[0] };
  }

  /** An argument of type `a` passed where `target` is declared: an untyped literal must be a valid value of it. */
  private coerce(a: Typed, target: PgType, typmods: readonly number[] = []): boolean {
    if (a.literal === undefined || target === 'unknown' || target === 'any') return true;
    const problem = inputProblem(a.literal.text, target, { typmods, enumValues: (name) => this.ctx.enums.get(name) });
    if (problem === undefined) return true;
    this.fail('invalid-literal', a.literal.at, `${quote(a.literal.text)} ${problem}: PostgreSQL reads it as ${aType(target, typmods)} here`, literalHint(target));
    return false;
  }

  /** A condition: a boolean, or an untyped literal PostgreSQL reads as one. */
  private boolean(a: Typed, what: string, at: number): void {
    if (a.t === 'bool' || a.t === 'any') return;
    if (a.t === 'unknown') {
      this.coerce(a, 'bool');
      return;
    }
    this.fail('type-mismatch', at, `the argument of ${what} must be a boolean, not ${aType(a.t)}`, 'compare it with something, e.g. `x > 0` or `x IS NOT NULL`');
  }

  /**
   * `x IN (a, b, …)` as PostgreSQL reads it: the items without columns, when there are two or
   * more and they share a type with x, are coerced to it and compared as `x = ANY(ARRAY[…])`;
   * every other item is compared on its own.
   */
  private inList(e: Extract<Expr, { k: 'in' }>): Typed {
    const left = this.type(e.arg);
    const items = e.list.map((x) => ({ x, typed: this.type(x) }));
    if (left.t === 'any' || items.some((i) => i.typed.t === 'any')) return { t: 'bool' };
    let compared = items;
    const constants = items.filter((i) => !refersToColumn(i.x));
    if (constants.length > 1) {
      const all = [left.t, ...constants.map((i) => i.typed.t)];
      const common = commonType(all);
      if (typeof common === 'string' && elementOf(common) === undefined && all.every((t) => t === 'unknown' || coercible(t, common, 'i'))) {
        for (const i of constants) this.coerce(i.typed, common);
        this.comparison(e.op, left, { t: common }, e.at);
        compared = items.filter((i) => refersToColumn(i.x));
      }
    }
    for (const i of compared) this.comparison(e.op, left, i.typed, e.at);
    return { t: 'bool' };
  }

  /** An operator whose result must be a boolean (IN, ANY). */
  private comparison(op: string, left: Typed, right: Typed, at: number): void {
    const r = this.operator(op, left, right, at);
    if (r.t !== 'any' && r.t !== 'bool') this.fail('type-mismatch', at, `the operator ${op} here must yield a boolean, not ${aType(r.t)}`);
  }

  private anyArray(e: Extract<Expr, { k: 'any' }>): Typed {
    const left = this.type(e.left);
    const right = this.type(e.right);
    if (left.t === 'any' || right.t === 'any') return { t: 'bool' };
    let elem = elementOf(right.t);
    if (right.t === 'unknown') {
      if (elementOf(left.t) !== undefined) return this.fail('type-mismatch', e.at, `PostgreSQL has no array type of ${displayType(left.t)} for ${e.op} ANY/ALL (…)`, 'compare with an array column or a cast array literal');
      const array = `${left.t === 'unknown' ? 'text' : left.t}[]`;
      if (!this.coerce(right, array)) return { t: 'bool' };
      elem = elementOf(array);
    }
    if (elem === undefined) return this.fail('type-mismatch', e.at, `${e.op} ANY/ALL (…) needs an array on its right, not ${aType(right.t)}`);
    const r = this.operator(e.op, left, { t: elem }, e.at);
    if (r.t !== 'any' && r.t !== 'bool') return this.fail('type-mismatch', e.at, `${e.op} ANY/ALL (…) needs an operator that yields a boolean, not ${aType(r.t)}`);
    return { t: 'bool' };
  }

  private castTarget(target: CastTarget, at: number): PgType | undefined {
    if (target.kind === 'type') {
      const base = target.type.replace(/\[\]$/, '');
      const extension = TYPE_EXTENSIONS[base];
      if (extension !== undefined && !this.ctx.extensions.has(extension)) {
        this.fail('type-mismatch', at, `the type ${base} exists only with the ${extension} extension`, `add \`extensions: [${extension}]\` to this file`);
        return undefined;
      }
      return target.type;
    }
    const array = target.name.endsWith('[]');
    const name = array ? target.name.slice(0, -2) : target.name;
    if (this.ctx.enums.has(name)) return `enum:${name}${array ? '[]' : ''}`;
    this.fail('type-mismatch', at, `schemac cannot check a cast to '${target.name}': it is no type the models language knows`, 'cast to a type of the models language, or to an enum of the workspace');
    return undefined;
  }

  private cast(arg: Expr, target: CastTarget, at: number): Typed {
    const t = this.castTarget(target, at);
    if (t === undefined) return UNTYPED;
    const typmods = target.kind === 'type' ? target.typmods : [];
    if (arg.k === 'array' && elementOf(t) !== undefined) return this.arrayCast(arg, t, at);
    if (arg.k === 'array' && arg.elements.length === 0) return this.fail('type-mismatch', at, `an empty ARRAY[] cannot be cast to ${aType(t)}`);
    const a = this.type(arg);
    if (a.t === 'any') return { t };
    if (a.t === 'unknown') {
      this.coerce(a, t, t === 'numeric' || t === 'vector' || t === 'halfvec' || t === 'sparsevec' ? typmods : []);
      return { t };
    }
    if (!coercible(a.t, t, 'e')) return this.fail('type-mismatch', at, `PostgreSQL has no cast from ${displayType(a.t)} to ${displayType(t)}`, a.t === 'bool' || t === 'bool' ? undefined : `cast through text if you mean its text: ::text::${displayType(t)}`);
    return { t };
  }

  /** `ARRAY[…]::T[]`: PostgreSQL casts each element to T, or to T[] when some element is an array (a sub-array). */
  private arrayCast(arg: Extract<Expr, { k: 'array' }>, t: PgType, at: number): Typed {
    const typed = arg.elements.map((el) => (el.k === 'array' ? undefined : this.type(el)));
    const multi = arg.elements.some((el, i) => el.k === 'array' || elementOf(typed[i]!.t) !== undefined);
    const target = multi ? t : elementOf(t)!;
    for (const [i, el] of arg.elements.entries()) {
      const x = typed[i];
      if (x === undefined) this.arrayCast(el as Extract<Expr, { k: 'array' }>, t, at);
      else if (x.t === 'unknown') this.coerce(x, target);
      else if (x.t !== 'any' && !coercible(x.t, target, 'e')) return this.fail('type-mismatch', el.at, `PostgreSQL has no cast from ${displayType(x.t)} to ${displayType(target)}`);
    }
    return { t };
  }

  private call(name: string, argExprs: readonly Expr[], at: number): Typed {
    const args = argExprs.map((a) => this.type(a));
    if (args.some((a) => a.t === 'any')) return UNTYPED;
    const r = resolveFunction(name, args.map((a) => a.t));
    if ('error' in r) return this.unresolved(r, at, `${name}(${args.map((a) => displayType(a.t)).join(', ')})`, signaturesHint(name));
    args.forEach((a, i) => this.coerce(a, (r as Resolved).args[i]));
    if ((name === 'regexp_like' || (name === 'substring' && args.length === 2)) && r.args[1] === 'text') this.pattern('regex', args[1]);
    return { t: r.result };
  }

  private caseExpr(e: Extract<Expr, { k: 'case' }>): Typed {
    const subject = e.arg && this.type(e.arg);
    for (const w of e.whens) {
      const cond = this.type(w.cond);
      if (subject === undefined) this.boolean(cond, 'CASE/WHEN', w.cond.at);
      else this.operator('=', subject, cond, w.cond.at);
    }
    // PostgreSQL weighs the ELSE branch first when it chooses the common type.
    const otherwise = e.otherwise ? this.type(e.otherwise) : { t: 'unknown' };
    return this.unify('CASE', [otherwise, ...e.whens.map((w) => this.type(w.result))], e.at);
  }

  /** The common type of `typed` (PostgreSQL's select_common_type), every one coerced to it. */
  private unify(what: string, typed: readonly Typed[], at: number): Typed {
    if (typed.some((x) => x.t === 'any')) return UNTYPED;
    const common = commonType(typed.map((x) => x.t));
    if (typeof common !== 'string') return this.fail('type-mismatch', at, `${what} types ${common.error}`, 'give every branch the same type, casting where needed');
    for (const x of typed) {
      if (x.t === 'unknown') this.coerce(x, common);
      else if (!coercible(x.t, common, 'i')) return this.fail('type-mismatch', at, `${what} could not convert ${displayType(x.t)} to ${displayType(common)}`, 'cast the branches to one type');
    }
    return { t: common };
  }

  private common(what: 'COALESCE' | 'GREATEST' | 'LEAST', args: readonly Expr[], at: number): Typed {
    const r = this.unify(what, args.map((a) => this.type(a)), at);
    if (what !== 'COALESCE' && r.t !== 'any' && 'error' in resolveOperator('<', r.t, r.t)) {
      return this.fail('type-mismatch', at, `${what} needs values that can be ordered, and ${displayType(r.t)} cannot`);
    }
    return r;
  }

  private array(elements: readonly Expr[], at: number): Typed {
    if (elements.length === 0) return this.fail('type-mismatch', at, 'PostgreSQL cannot tell the type of an empty ARRAY[]', 'cast it, e.g. ARRAY[]::integer[]');
    const typed = elements.map((e) => this.type(e));
    const nested = elements.every((e) => e.k === 'array');
    const r = this.unify('ARRAY', typed, at);
    if (r.t === 'any') return UNTYPED;
    return nested || elementOf(r.t) !== undefined ? r : { t: `${r.t}[]` };
  }

  private subscript(e: Extract<Expr, { k: 'subscript' }>): Typed {
    const a = this.type(e.arg);
    const indexes = e.indexes.map((i) => this.type(i));
    if (a.t === 'any' || indexes.some((i) => i.t === 'any')) return UNTYPED;
    const elem = elementOf(a.t);
    if (elem !== undefined) {
      for (const [n, i] of indexes.entries()) {
        if (i.t === 'unknown') this.coerce(i, 'int4');
        else if (!coercible(i.t, 'int4', 'a')) return this.fail('type-mismatch', e.indexes[n].at, `an array subscript must be an integer, not ${aType(i.t)}`);
      }
      return { t: e.slice ? a.t : elem };
    }
    if (a.t === 'jsonb' && !e.slice) {
      for (const [n, i] of indexes.entries()) {
        if (!['unknown', 'text', 'int4', 'int2', 'varchar', 'bpchar'].includes(i.t)) return this.fail('type-mismatch', e.indexes[n].at, `a jsonb subscript must be text or an integer, not ${aType(i.t)}`);
      }
      return { t: 'jsonb' };
    }
    return this.fail('type-mismatch', e.at, `${displayType(a.t)} cannot be subscripted${a.t === 'jsonb' ? ' with a slice' : ''}`);
  }

  private collate(arg: Expr, collation: string, at: number): Typed {
    const a = this.type(arg);
    if (!COLLATIONS.has(collation)) return this.fail('type-mismatch', at, `the collation '${collation}' may not exist on the server (PostgreSQL's collations come from its operating system's locales)`, 'use "C" or "POSIX", which every server has');
    if (a.t === 'any') return a;
    const base = elementOf(a.t) ?? a.t;
    if (!COLLATABLE.has(base)) return this.fail('type-mismatch', at, `${displayType(a.t)} has no collation`);
    return { t: a.t === 'unknown' ? 'text' : a.t };
  }

  /** The fragment as a whole: a check or predicate is a boolean; a default is a value its column takes. */
  expectTop(e: Expr, top: Typed): void {
    const x = this.ctx.expect;
    if (x.kind === 'any') return;
    if (x.kind === 'boolean') {
      if (top.t === 'bool' || top.t === 'any') return;
      const what = x.what === 'CHECK' ? 'a check' : 'an index predicate';
      if (top.t === 'unknown') this.coerce(top, 'bool');
      else this.fail('type-mismatch', e.at, `${what} must be a boolean expression, not ${aType(top.t)}`, 'compare the value, e.g. `x > 0`');
      return;
    }
    if (top.t === 'any') return;
    const column = `the ${displayType(x.type, x.typmods)} column ${x.name}`;
    if (top.t === 'unknown') {
      if (top.literal === undefined || !this.coerce(top, x.type, x.typmods)) return;
      const limit = ['varchar', 'bpchar'].includes(x.type) ? x.typmods[0] : undefined;
      if (limit !== undefined && [...top.literal.text].length > limit) this.fail('invalid-literal', top.literal.at, `${quote(top.literal.text)} is longer than ${limit} characters, the length of ${column}`);
      return;
    }
    const constant = constantValue(e);
    const problem = constant && assignmentProblem(constant, x.type, x.typmods);
    if (problem !== undefined) {
      this.fail('invalid-literal', constant!.at, `the default ${problem}, the type of ${column}`);
      return;
    }
    const limit = ['varchar', 'bpchar'].includes(x.type) ? x.typmods[0] : undefined;
    if (limit !== undefined && coercible(top.t, x.type, 'a')) {
      const text = textOf(e);
      const longest = maxTextLength(top.t, this.ctx.enums);
      if (text !== undefined ? text.replace(/ +$/, '').length > limit : longest === undefined || longest > limit) {
        const what = text !== undefined ? `the default '${text}' is longer than ${limit} characters` : `the default is ${aType(top.t)}, whose text may be longer than ${limit} characters`;
        this.fail('invalid-literal', e.at, `${what}, the length of ${column}`, text !== undefined ? undefined : 'write the value as a string literal, or give the column room for it');
      }
      return;
    }
    if (top.t !== x.type && !coercible(top.t, x.type, 'a')) {
      this.fail('type-mismatch', e.at, `the default is ${aType(top.t)}, which ${column} cannot take`, `cast it: (…)::${displayType(x.type)}`);
    }
  }
}

/** The type PostgreSQL gives a numeric literal: integer, bigint, or numeric. */
function numberType(text: string): PgType {
  if (!/^-?\d+$/.test(text)) return 'numeric';
  const v = BigInt(text);
  if (v >= -(2n ** 31n) && v < 2n ** 31n) return 'int4';
  return v >= -(2n ** 63n) && v < 2n ** 63n ? 'int8' : 'numeric';
}

/** A ConstantValue is what a default that is a constant holds: its decimal value and its text, as far as they are known. */
interface ConstantValue {
  readonly decimal?: string;
  readonly text?: string;
  readonly at: number;
}

/** The value of a default that is a plain number, true or false, or a string cast to an integer or numeric type. */
function constantValue(e: Expr): ConstantValue | undefined {
  if (e.k === 'number') return /^-?\d+(\.\d+)?$/.test(e.text) ? { decimal: e.text, text: e.text, at: e.at } : { decimal: e.text, at: e.at };
  if (e.k === 'bool') return { text: e.value ? 'true' : 'false', at: e.at };
  if (e.k === 'cast' && e.arg.k === 'string' && e.type.kind === 'type' && ['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(e.type.type)) {
    const decimal = e.arg.text.trim();
    if (/^[+-]?(nan|inf|infinity)$/i.test(decimal)) return { decimal, at: e.at };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(decimal)) return undefined;
    const whole = /^([+-]?)(\d*)/.exec(decimal)!;
    const text = ['int2', 'int4', 'int8'].includes(e.type.type) && !decimal.includes('.') ? String(BigInt(`${whole[1]}${whole[2] || '0'}`)) : undefined;
    return { decimal, text, at: e.at };
  }
  return undefined;
}

/** Why PostgreSQL's assignment of the constant to a column of type `t` fails (a number out of range or precision, a text too long). */
function assignmentProblem(v: ConstantValue, t: PgType, typmods: readonly number[]): string | undefined {
  if (v.decimal !== undefined && ['int2', 'int4', 'int8'].includes(t)) {
    if (/nan|inf/i.test(v.decimal)) return `${v.decimal} is no ${displayType(t)}`;
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(v.decimal);
    if (m === null) return undefined;
    const whole = BigInt(m[2] || '0') + (Number((m[3] ?? '0')[0] ?? 0) >= 5 ? 1n : 0n);
    const problem = inputProblem(`${m[1]}${whole}`, t);
    return problem && `${v.decimal} ${problem}`;
  }
  if (v.decimal !== undefined && ['numeric', 'float4', 'float8'].includes(t)) {
    const problem = inputProblem(v.decimal, t, { typmods });
    return problem && `${v.decimal} ${problem}`;
  }
  return undefined;
}

/** The text of a default that is a constant string: literals, casts of them to string types, `||` and lower/upper of them. */
function textOf(e: Expr): string | undefined {
  switch (e.k) {
    case 'string': return e.text;
    case 'number': return /^-?\d+(\.\d+)?$/.test(e.text) ? e.text : undefined;
    case 'bool': return e.value ? 'true' : 'false';
    case 'cast': {
      if (e.type.kind !== 'type' || !['text', 'varchar', 'bpchar'].includes(e.type.type)) return undefined;
      const inner = textOf(e.arg);
      const n = e.type.typmods[0];
      return inner === undefined || n === undefined ? inner : inner.slice(0, n);
    }
    case 'op': {
      if (e.op !== '||' || e.left === undefined) return undefined;
      const [a, b] = [textOf(e.left), textOf(e.right)];
      return a === undefined || b === undefined ? undefined : a + b;
    }
    case 'call': {
      const arg = e.args.length === 1 ? textOf(e.args[0]) : undefined;
      if (arg === undefined || !/^[\x20-\x7e]*$/.test(arg)) return undefined;
      return e.name === 'lower' ? arg.toLowerCase() : e.name === 'upper' ? arg.toUpperCase() : undefined;
    }
    default: return undefined;
  }
}

/**
 * The longest text a value of the type prints as (under any DateStyle), for an assignment to
 * a varchar(n) or char(n) column; undefined when it is unbounded (text, numeric, json, arrays…).
 */
function maxTextLength(t: PgType, enums: ReadonlyMap<string, readonly string[]>): number | undefined {
  if (t.startsWith('enum:') && !t.endsWith('[]')) return Math.max(0, ...(enums.get(t.slice(5)) ?? ['x'.repeat(64)]).map((v) => [...v].length));
  const lengths: Record<string, number> = { bool: 5, int2: 6, int4: 11, int8: 20, float4: 15, float8: 24, uuid: 36, inet: 43, cidr: 43, date: 32, time: 32, timetz: 40, timestamp: 64, timestamptz: 64 };
  return lengths[t];
}

function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `'${shown.replace(/'/g, "''")}'`;
}

function literalHint(t: PgType): string | undefined {
  const hints: Record<string, string> = {
    bool: 'booleans are true/false, yes/no, on/off, 1/0', date: "dates are 'YYYY-MM-DD'", timestamp: "timestamps are 'YYYY-MM-DD HH:MM:SS[+zone]'",
    timestamptz: "timestamps are 'YYYY-MM-DD HH:MM:SS[+zone]'", interval: "intervals are like '1 day', '2 hours 30 minutes', '01:30:00' or 'P1DT2H'",
    bytea: "bytea is '\\x' and hex digit pairs, e.g. '\\x0102'", uuid: "UUIDs are like '00000000-0000-0000-0000-000000000001'",
  };
  return hints[t.replace(/\[\]$/, '')] ?? (t.endsWith('[]') ? "arrays are '{a,b,c}'" : undefined);
}

/** What the function takes, for a hint. */
function signaturesHint(name: string): string {
  const sigs = functionSignatures(name);
  return sigs.length === 0 ? `${name}() is not a function PostgreSQL has` : `PostgreSQL has ${sigs.slice(0, 6).join(', ')}${sigs.length > 6 ? ', …' : ''}`;
}


/**
 * The typing contexts of a workspace's fragments: `of(table, expect)` gives the context of a
 * fragment of `table` (its columns' types are read once per table, the extensions once per owner).
 */
export function fragmentTyping(ws: Workspace): (table: TableDef, expect: Expectation) => TypingContext {
  const enums = new Map([...ws.enums].map(([name, e]) => [name, e.values]));
  const columns = new Map<TableDef, ReadonlyMap<string, TypedColumn>>();
  const extensions = new Map<string, ReadonlySet<string>>();
  const declared = (owner: string) => ws.files.filter((f) => f.owner === owner || f.owner === CORE).flatMap((f) => f.extensions.map((x) => x.name));
  return (table, expect) => {
    let cols = columns.get(table);
    if (cols === undefined) columns.set(table, (cols = columnTypes(table.columns)));
    let ext = extensions.get(table.owner);
    if (ext === undefined) extensions.set(table.owner, (ext = new Set(declared(table.owner))));
    return { columns: expect.kind === 'column' ? NO_COLUMNS : cols, enums, extensions: ext, expect };
  };
}

const NO_COLUMNS: ReadonlyMap<string, TypedColumn> = new Map();

/** What a default of `column` must be. */
export function defaultExpectation(column: ColumnDef): Expectation {
  return { kind: 'column', name: column.name, ...columnPgType(column.type) };
}
