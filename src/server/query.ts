import type { z } from 'zod';
import { HttpError } from './respond';

/**
 * Reads come over GET, so their input arrives as text in the query string. Rather than guessing
 * ("123" a number? "true" a boolean?) each value is converted by what the method's own schema
 * expects for that field: a string field keeps its text (a model named "4" stays "4"), a number
 * field gets a number, a boolean field gets true/false, an array field collects repeated keys.
 * The schema still validates the result; this only undoes the query string's loss of types.
 */

type Scalar = 'string' | 'number' | 'boolean' | 'null';
interface FieldShape {
  scalars: Set<Scalar>;
  /** Present when the field accepts an array: what its elements accept. */
  element: FieldShape | null;
}

// zod 4 keeps each schema's definition at `_zod.def`; only the fields read here are typed.
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: readonly z.ZodType[];
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'success']);

function shapeOf(schema: z.ZodType, depth = 0): FieldShape {
  const out: FieldShape = { scalars: new Set(), element: null };
  if (depth > 20) {
    out.scalars.add('string');
    return out;
  }
  const def = defOf(schema);
  if (def.type === 'nullable') out.scalars.add('null');
  if (WRAPPERS.has(def.type) && def.innerType) return merge(out, shapeOf(def.innerType, depth + 1));
  if (def.type === 'pipe' && def.in) return merge(out, shapeOf(def.in, depth + 1));
  if (def.type === 'lazy' && def.getter) return merge(out, shapeOf(def.getter(), depth + 1));
  if (def.type === 'union' && def.options) {
    for (const option of def.options) merge(out, shapeOf(option, depth + 1));
    return out;
  }
  switch (def.type) {
    case 'number':
    case 'int':
    case 'bigint':
      out.scalars.add('number');
      break;
    case 'boolean':
      out.scalars.add('boolean');
      break;
    case 'null':
      out.scalars.add('null');
      break;
    case 'enum':
      for (const v of Object.values(def.entries ?? {})) out.scalars.add(typeof v === 'number' ? 'number' : 'string');
      break;
    case 'literal':
      for (const v of def.values ?? []) out.scalars.add(typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : v === null ? 'null' : 'string');
      break;
    case 'array':
    case 'set':
      out.element = def.element ? shapeOf(def.element, depth + 1) : { scalars: new Set(['string']), element: null };
      break;
    default:
      // string, date, template literals, unknown, any…: text is the natural form.
      out.scalars.add('string');
  }
  return out;
}

function merge(into: FieldShape, from: FieldShape): FieldShape {
  for (const s of from.scalars) into.scalars.add(s);
  if (from.element) into.element = into.element ? merge(into.element, from.element) : from.element;
  return into;
}

/** The object shape at the top of a method's input schema, through optional/default/pipe wrappers. */
function objectShape(schema: z.ZodType, depth = 0): Record<string, z.ZodType> | null {
  if (depth > 20) return null;
  const def = defOf(schema);
  if (def.type === 'object' && def.shape) return def.shape;
  if (WRAPPERS.has(def.type) && def.innerType) return objectShape(def.innerType, depth + 1);
  if (def.type === 'pipe' && def.in) return objectShape(def.in, depth + 1);
  if (def.type === 'lazy' && def.getter) return objectShape(def.getter(), depth + 1);
  return null;
}

const NUMBER_TEXT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE_TEXT = new Set(['', 'true', '1', 'yes', 'on']);
const FALSE_TEXT = new Set(['false', '0', 'no', 'off']);

/** One query value as the field expects it; text the field cannot take is passed on for zod to explain. */
function convert(text: string, field: FieldShape): unknown {
  const { scalars } = field;
  if (scalars.has('string')) return text;
  if (scalars.has('number') && NUMBER_TEXT.test(text.trim())) return Number(text);
  if (scalars.has('boolean')) {
    const t = text.trim().toLowerCase();
    if (TRUE_TEXT.has(t)) return true;
    if (FALSE_TEXT.has(t)) return false;
  }
  if (scalars.has('null') && (text === '' || text === 'null')) return null;
  return text;
}

/** Turn a query string into a read method's input object, guided by that method's schema. */
export function inputFromQuery(params: URLSearchParams, schema: z.ZodType): Record<string, unknown> {
  const shape = objectShape(schema);
  const input: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    const fieldSchema = shape && Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    // Unknown keys pass through as text so the schema's own strictness names them.
    const field = fieldSchema ? shapeOf(fieldSchema) : { scalars: new Set<Scalar>(['string']), element: null };
    if (field.element && (values.length > 1 || field.scalars.size === 0)) {
      const element = field.element;
      defineField(input, key, values.map((v) => convert(v, element)));
    } else if (values.length > 1) {
      throw new HttpError(400, 'invalid_input', `The query parameter "${key}" was given ${values.length} times; give it once.`);
    } else {
      defineField(input, key, convert(values[0] ?? '', field));
    }
  }
  return input;
}

/** Plain assignment would let a key named __proto__ reach the prototype. */
function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
