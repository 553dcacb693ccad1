/**
 * PostgreSQL's type resolution over the catalog of `pg-catalog.ts`: type categories, which
 * casts exist (implicit, assignment, explicit), and how an operator, a function or a common
 * type is chosen for arguments of given types (the rules of PostgreSQL's documentation,
 * "Type Conversion", 10.2-10.5, as `parse_oper.c`, `parse_func.c` and `parse_coerce.c`
 * implement them). Used by the typing of SQL fragments (`fragment-types.ts`).
 */
import type { ColumnDef, TypeRef } from '../ir.ts';
import type { PgType } from './literals.ts';
import { displayType } from './literals.ts';
import { CASTS, FUNCTIONS, OPERATORS, TYPES } from './pg-catalog.ts';
import { parseType } from './type-ref.ts';

/** What PostgreSQL's catalog says of a type: its category letter, whether it is preferred in it, its element. */
interface TypeInfo {
  readonly category: string;
  readonly preferred: boolean;
  readonly elem?: PgType;
}

/** A Signature is one operator or function: its argument types and result. */
export interface Signature {
  readonly name: string;
  readonly args: readonly PgType[];
  readonly result: PgType;
}

/** How strong a coercion is: implicit (i) ⊂ assignment (a) ⊂ explicit (e). */
export type CoercionContext = 'i' | 'a' | 'e';

const RANK: Readonly<Record<CoercionContext, number>> = { i: 0, a: 1, e: 2 };

/** The catalog, each part indexed on first use (a lint of a few fragments reads little of it). */
interface Catalog {
  types?: Map<PgType, TypeInfo>;
  casts?: Map<string, CoercionContext>;
  readonly binary: Map<string, Signature[]>;
  readonly prefix: Map<string, Signature[]>;
  readonly parsedFunctions: Map<string, RawFunction[]>;
}

/** A function as the catalog lists it: variadic and defaults still to be expanded for a call. */
interface RawFunction extends Signature {
  readonly variadic?: PgType;
  readonly defaults: number;
}

const catalog: Catalog = { binary: new Map(), prefix: new Map(), parsedFunctions: new Map() };

function types(): Map<PgType, TypeInfo> {
  if (catalog.types !== undefined) return catalog.types;
  const map = new Map<PgType, TypeInfo>();
  for (const line of TYPES) {
    const [name, kind, elem] = line.split(' ');
    map.set(name, { category: kind[0], preferred: kind.endsWith('!'), elem });
  }
  map.set('vector', { category: 'U', preferred: false });
  map.set('halfvec', { category: 'U', preferred: false });
  map.set('sparsevec', { category: 'U', preferred: false });
  map.set('citext', { category: 'S', preferred: false });
  return (catalog.types = map);
}

function casts(): Map<string, CoercionContext> {
  if (catalog.casts !== undefined) return catalog.casts;
  const map = new Map<string, CoercionContext>();
  for (const line of CASTS) {
    const cut = line.lastIndexOf(' ');
    map.set(line.slice(0, cut), line.slice(cut + 1) as CoercionContext);
  }
  for (const line of EXTENSION_CASTS) {
    const [source, target, ctx] = line.split(' ');
    map.set(`${source} ${target}`, ctx as CoercionContext);
  }
  return (catalog.casts = map);
}

/** The casts of pgvector's halfvec and sparsevec (0.8) and of citext, which a plain server does not have (vector's are generated). */
const EXTENSION_CASTS: readonly string[] = [
  'halfvec vector a', 'vector halfvec i', 'sparsevec vector a', 'vector sparsevec i', 'sparsevec halfvec a', 'halfvec sparsevec i',
  'int4[] halfvec a', 'float4[] halfvec a', 'float8[] halfvec a', 'numeric[] halfvec a', 'halfvec float4[] a',
  'int4[] sparsevec a', 'float4[] sparsevec a', 'float8[] sparsevec a', 'numeric[] sparsevec a',
  'citext text i', 'citext varchar i', 'citext bpchar a', 'text citext a', 'varchar citext a', 'bpchar citext a', 'bool citext a', 'inet citext a',
];

/** Their operators, `name left right result`. */
const EXTENSION_OPERATORS: readonly string[] = [
  ...['=', '<>', '<', '>', '<=', '>='].flatMap((o) => ['halfvec', 'sparsevec', 'citext'].map((t) => `${o} ${t} ${t} bool`)),
  ...['<->', '<=>', '<#>', '<+>'].flatMap((o) => [`${o} halfvec halfvec float8`, `${o} sparsevec sparsevec float8`]),
  '<+> vector vector float8',
  '+ halfvec halfvec halfvec', '- halfvec halfvec halfvec', '* halfvec halfvec halfvec', '|| halfvec halfvec halfvec',
];

/** The operators named `name`: binary and prefix ones. */
function operators(name: string, prefix: boolean): Signature[] {
  const into = prefix ? catalog.prefix : catalog.binary;
  const known = into.get(name);
  if (known !== undefined) return known;
  const binary: Signature[] = [];
  const unary: Signature[] = [];
  const lines = [...(Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : []), ...EXTENSION_OPERATORS.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1))];
  for (const line of lines) {
    const [l, r, result] = line.split(' ');
    if (l === '-') unary.push({ name, args: [r], result });
    else binary.push({ name, args: [l, r], result });
  }
  catalog.binary.set(name, binary);
  catalog.prefix.set(name, unary);
  return prefix ? unary : binary;
}

/** The functions named `name`. */
function functions(name: string): RawFunction[] {
  const known = catalog.parsedFunctions.get(name);
  if (known !== undefined) return known;
  const list = (Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : []).map((line): RawFunction => {
    const m = /^\(([^)]*)\)(\S+)(?: variadic (\S+))?(?: defaults (\d+))?$/.exec(line)!;
    return { name, args: m[1] === '' ? [] : m[1].split(','), result: m[2], variadic: m[3], defaults: Number(m[4] ?? 0) };
  });
  catalog.parsedFunctions.set(name, list);
  return list;
}

const POLYMORPHIC = new Set([
  'anyelement', 'anyarray', 'anynonarray', 'anyenum', 'anyrange', 'anymultirange',
  'anycompatible', 'anycompatiblearray', 'anycompatiblenonarray', 'anycompatiblerange', 'anycompatiblemultirange',
]);

/** The category, preferred flag and element of a type (enums and arrays of any element included). */
export function typeInfo(t: PgType): TypeInfo {
  const known = types().get(t);
  if (known !== undefined) return known;
  if (t.endsWith('[]')) return { category: 'A', preferred: false, elem: t.slice(0, -2) };
  if (isEnum(t)) return { category: 'E', preferred: false };
  return { category: 'U', preferred: false };
}

/** The element type of an array type; undefined for a type that is not an array. */
export function elementOf(t: PgType): PgType | undefined {
  return typeInfo(t).elem;
}

/** True for an enum type of the workspace. */
export function isEnum(t: PgType): boolean {
  return t.startsWith('enum:') && !t.endsWith('[]');
}

/** The PgType and modifiers of a models-language column type. */
export function columnPgType(type: TypeRef): { type: PgType; typmods: readonly number[] } {
  const base = type.base === 'enum' ? `enum:${type.enumName}` : BASES[type.base];
  return { type: type.array ? `${base}[]` : base, typmods: type.params };
}

const BASES: Readonly<Record<string, PgType>> = {
  smallint: 'int2', integer: 'int4', bigint: 'int8', serial: 'int4', bigserial: 'int8', numeric: 'numeric', real: 'float4',
  'double precision': 'float8', boolean: 'bool', text: 'text', varchar: 'varchar', char: 'bpchar', uuid: 'uuid', date: 'date',
  time: 'time', timestamp: 'timestamp', timestamptz: 'timestamptz', interval: 'interval', json: 'json', jsonb: 'jsonb',
  bytea: 'bytea', inet: 'inet', vector: 'vector', halfvec: 'halfvec', sparsevec: 'sparsevec', citext: 'citext',
};

/** The PgTypes of a table's columns, by name. */
export function columnTypes(columns: readonly ColumnDef[]): Map<string, { type: PgType; typmods: readonly number[] }> {
  return new Map(columns.map((c) => [c.name, columnPgType(c.type)]));
}

/** Whether a value of `source` converts to `target` in `ctx` (PostgreSQL's find_coercion_pathway). */
export function coercible(source: PgType, target: PgType, ctx: CoercionContext): boolean {
  if (source === target) return true;
  const cast = casts().get(`${source} ${target}`);
  if (cast !== undefined && RANK[cast] <= RANK[ctx]) return true;
  const se = elementOf(source);
  const te = elementOf(target);
  if (se !== undefined && te !== undefined && coercible(se, te, ctx)) return true;
  if (ctx !== 'i' && typeInfo(target).category === 'S') return true;
  return ctx === 'e' && typeInfo(source).category === 'S';
}

/** Whether arguments of `inputs` may call a candidate declaring `declared` (PostgreSQL's can_coerce_type, implicit). */
function canCoerce(inputs: readonly PgType[], declared: readonly PgType[]): boolean {
  let generic = false;
  for (let i = 0; i < inputs.length; i++) {
    const [a, d] = [inputs[i], declared[i]];
    if (a === d || d === 'any') continue;
    if (POLYMORPHIC.has(d)) {
      generic = true;
      continue;
    }
    if (a === 'unknown' || coercible(a, d, 'i')) continue;
    return false;
  }
  return !generic || genericBinding(inputs, declared) !== undefined;
}

/** What the polymorphic parameters stand for: the element, the array, the anycompatible type (undefined when inconsistent). */
interface Binding {
  readonly elem?: PgType;
  readonly array?: PgType;
  readonly compatible?: PgType;
  readonly hasCompatible: boolean;
}

/** PostgreSQL's check_generic_type_consistency: the binding of the polymorphic parameters, or undefined. */
function genericBinding(inputs: readonly PgType[], declared: readonly PgType[]): Binding | undefined {
  let elem: PgType | undefined;
  let array: PgType | undefined;
  let nonArray = false;
  let anyEnum = false;
  let nonArrayCompatible = false;
  let hasCompatible = false;
  const compatible: PgType[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const [a, d] = [inputs[i], declared[i]];
    if (d === 'anyelement' || d === 'anynonarray' || d === 'anyenum') {
      nonArray ||= d === 'anynonarray';
      anyEnum ||= d === 'anyenum';
      if (a === 'unknown') continue;
      if (elem !== undefined && a !== elem) return undefined;
      elem = a;
    } else if (d === 'anyarray') {
      if (a === 'unknown') continue;
      if (array !== undefined && a !== array) return undefined;
      array = a;
    } else if (d === 'anycompatible' || d === 'anycompatiblenonarray' || d === 'anycompatiblearray') {
      hasCompatible = true;
      nonArrayCompatible ||= d === 'anycompatiblenonarray';
      if (a === 'unknown') continue;
      const t = d === 'anycompatiblearray' ? elementOf(a) : a;
      if (t === undefined) return undefined;
      compatible.push(t);
    } else if (POLYMORPHIC.has(d)) {
      if (a !== 'unknown') return undefined;
    }
  }
  if (array !== undefined) {
    const e = elementOf(array);
    if (e === undefined || (elem !== undefined && e !== elem)) return undefined;
    elem ??= e;
  }
  if (elem !== undefined && ((nonArray && elementOf(elem) !== undefined) || (anyEnum && !isEnum(elem)))) return undefined;
  let common: PgType | undefined;
  if (compatible.length > 0) {
    const c = commonType(compatible);
    if (typeof c !== 'string' || (nonArrayCompatible && elementOf(c) !== undefined)) return undefined;
    common = c;
  }
  return { elem, array, compatible: common, hasCompatible };
}

/** PostgreSQL's select_common_type: the type values of `types` share (unknowns become text), or why there is none. */
export function commonType(types: readonly PgType[]): PgType | { readonly error: string } {
  let p = types[0];
  if (p !== 'unknown' && types.every((t) => t === p)) return p;
  for (const t of types.slice(1)) {
    if (t === 'unknown' || t === p) continue;
    if (p === 'unknown') {
      p = t;
      continue;
    }
    const [pi, ti] = [typeInfo(p), typeInfo(t)];
    if (pi.category !== ti.category) return { error: `${displayType(p)} and ${displayType(t)} cannot be matched` };
    if (!pi.preferred && canCoerce([p], [t]) && !canCoerce([t], [p])) p = t;
  }
  return p === 'unknown' ? 'text' : p;
}

/** A Resolved call: the candidate chosen, its argument types with the polymorphic ones bound, and its result. */
export interface Resolved {
  readonly signature: Signature;
  readonly args: readonly PgType[];
  readonly result: PgType;
}

/** Why no candidate was chosen. */
export interface Unresolved {
  readonly error: 'none' | 'ambiguous' | 'polymorphic';
}

/** Resolutions already made in this process, by operator or function and argument types. */
const resolved = new Map<string, Resolved | Unresolved>();

/** Chooses the operator `name` for operands of types `left` (undefined for a prefix operator) and `right`. */
export function resolveOperator(name: string, left: PgType | undefined, right: PgType): Resolved | Unresolved {
  const key = `${name} ${left ?? '-'} ${right}`;
  let r = resolved.get(key);
  if (r === undefined) resolved.set(key, (r = chooseOperator(name, left, right)));
  return r;
}

function chooseOperator(name: string, left: PgType | undefined, right: PgType): Resolved | Unresolved {
  if (left === undefined) {
    const sigs = operators(name, true);
    return choose(sigs.find((s) => s.args[0] === right), sigs, [right]);
  }
  let [l, r] = [left, right];
  if (l === 'unknown' && r !== 'unknown') l = r;
  else if (r === 'unknown') r = l;
  const sigs = operators(name, false);
  return choose(sigs.find((s) => s.args[0] === l && s.args[1] === r), sigs, [left, right]);
}

/** The argument lists the function `name` takes, e.g. `lower(text)`, for messages. */
export function functionSignatures(name: string): string[] {
  return functions(name)
    .filter((f) => !f.args.some((a) => POLYMORPHIC.has(a) && a.endsWith('range')))
    .map((f) => `${name}(${f.args.map((a) => (a === 'any' ? 'any' : displayType(a))).join(', ')}${f.variadic ? ', …' : ''})`);
}

/** Chooses the function `name` for arguments of types `inputs`. */
export function resolveFunction(name: string, inputs: readonly PgType[]): Resolved | Unresolved {
  const key = `${name}(${inputs.join(',')})`;
  let r = resolved.get(key);
  if (r === undefined) resolved.set(key, (r = chooseFunction(name, inputs)));
  return r;
}

function chooseFunction(name: string, inputs: readonly PgType[]): Resolved | Unresolved {
  const sigs: Signature[] = [];
  for (const f of functions(name)) {
    const n = f.args.length;
    if (f.variadic !== undefined && inputs.length >= n) sigs.push({ ...f, args: [...f.args.slice(0, -1), ...Array(inputs.length - n + 1).fill(f.variadic)] });
    else if (inputs.length < n && inputs.length >= n - f.defaults) sigs.push({ ...f, args: f.args.slice(0, inputs.length) });
    else if (n === inputs.length) sigs.push(f);
  }
  return choose(sigs.find((s) => s.args.every((a, i) => a === inputs[i])), sigs, inputs);
}

/** The exact match when there is one; else PostgreSQL's choice among the candidates the arguments can reach. */
function choose(exact: Signature | undefined, sigs: readonly Signature[], inputs: readonly PgType[]): Resolved | Unresolved {
  if (exact !== undefined) return bind(exact, inputs);
  const candidates = sigs.filter((s) => canCoerce(inputs, s.args));
  if (candidates.length === 0) return { error: 'none' };
  const chosen = candidates.length === 1 ? candidates[0] : selectCandidate(inputs, candidates);
  return chosen === undefined ? { error: 'ambiguous' } : bind(chosen, inputs);
}

/** The signature with its polymorphic types bound to the arguments (PostgreSQL's enforce_generic_type_consistency). */
function bind(s: Signature, inputs: readonly PgType[]): Resolved | Unresolved {
  if (!s.args.some((a) => POLYMORPHIC.has(a)) && !POLYMORPHIC.has(s.result)) return { signature: s, args: s.args.map((a, i) => (a === 'any' ? inputs[i] : a)), result: s.result };
  const b = genericBinding(inputs, s.args);
  if (b === undefined) return { error: 'none' };
  let elem = b.elem;
  let array = b.array;
  const usesElem = [...s.args, s.result].some((a) => ['anyelement', 'anynonarray', 'anyenum', 'anyarray'].includes(a));
  if (usesElem && elem === undefined) return { error: 'polymorphic' };
  if (elem !== undefined && array === undefined) {
    if (elementOf(elem) !== undefined) return { error: 'polymorphic' };
    array = `${elem}[]`;
  }
  const compatible = b.compatible ?? (b.hasCompatible ? 'text' : undefined);
  const sub = (t: PgType): PgType => {
    if (t === 'anyelement' || t === 'anynonarray' || t === 'anyenum') return elem!;
    if (t === 'anyarray') return array!;
    if (t === 'anycompatible' || t === 'anycompatiblenonarray') return compatible!;
    if (t === 'anycompatiblearray') return `${compatible}[]`;
    return t;
  };
  return { signature: s, args: s.args.map((a, i) => (a === 'any' ? inputs[i] : sub(a))), result: sub(s.result) };
}

/** PostgreSQL's func_select_candidate: the one best candidate, or undefined when it cannot tell. */
function selectCandidate(inputs: readonly PgType[], all: readonly Signature[]): Signature | undefined {
  let candidates = keepBest(all, (s) => s.args.filter((a, i) => inputs[i] !== 'unknown' && a === inputs[i]).length);
  if (candidates.length === 1) return candidates[0];
  const categories = inputs.map((t) => typeInfo(t).category);
  candidates = keepBest(candidates, (s) => s.args.filter((a, i) => inputs[i] !== 'unknown' && (a === inputs[i] || isPreferredIn(categories[i], a))).length);
  if (candidates.length === 1) return candidates[0];
  if (inputs.includes('unknown')) {
    const narrowed = byUnknownCategories(inputs, candidates);
    if (narrowed !== undefined) {
      if (narrowed.length > 0) candidates = narrowed;
      if (candidates.length === 1) return candidates[0];
    }
    const known = inputs.filter((t) => t !== 'unknown');
    if (known.length > 0 && known.every((t) => t === known[0])) {
      const same = inputs.map(() => known[0]);
      const fits = candidates.filter((s) => canCoerce(same, s.args));
      if (fits.length === 1) return fits[0];
    }
  }
  return undefined;
}

function isPreferredIn(category: string, t: PgType): boolean {
  const info = typeInfo(t);
  return info.category === category && info.preferred;
}

/** The candidates with the highest score (all of them when every score is 0). */
function keepBest(candidates: readonly Signature[], score: (s: Signature) => number): Signature[] {
  const scores = candidates.map(score);
  const best = Math.max(...scores);
  return candidates.filter((_, i) => scores[i] === best);
}

/**
 * At each unknown argument, the category the candidates accept there (string when any takes
 * it, else the one they all share) and its preferred type when some take it: the candidates
 * that fit every unknown argument; undefined when a position has conflicting categories.
 */
function byUnknownCategories(inputs: readonly PgType[], candidates: readonly Signature[]): Signature[] | undefined {
  const slots: Array<{ category: string; preferred: boolean } | undefined> = [];
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i] !== 'unknown') continue;
    let slot: { category: string; preferred: boolean } | undefined;
    let conflict = false;
    for (const s of candidates) {
      const info = typeInfo(s.args[i]);
      if (slot === undefined) slot = { category: info.category, preferred: info.preferred };
      else if (info.category === slot.category) slot.preferred ||= info.preferred;
      else if (info.category === 'S') slot = { category: 'S', preferred: info.preferred };
      else if (slot.category !== 'S') conflict = true;
    }
    if (conflict && slot?.category !== 'S') return undefined;
    slots[i] = slot;
  }
  return candidates.filter((s) => s.args.every((a, i) => {
    const slot = slots[i];
    if (slot === undefined) return true;
    const info = typeInfo(a);
    return info.category === slot.category && (!slot.preferred || info.preferred);
  }));
}

/**
 * Whether PostgreSQL can convert a column from the type `from` to the type `to` (types as
 * snapshots write them) with the cast `ALTER COLUMN … TYPE … USING col::to` uses; through
 * text for an enum, as the migration converts them. Undefined when a type is not known.
 */
export function castable(from: string, to: string): boolean | undefined {
  const nowhere = { file: '', start: 0, end: 0 };
  const [a, b] = [parseType(from, nowhere).type, parseType(to, nowhere).type];
  if (a === undefined || b === undefined) return undefined;
  if (a.base === 'enum' || b.base === 'enum') return a.array === b.array;
  return coercible(columnPgType(a).type, columnPgType(b).type, 'e');
}
