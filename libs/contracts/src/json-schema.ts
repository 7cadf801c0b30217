import 'reflect-metadata';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';

/**
 * JSON Schema for the contract classes, derived from their class-validator metadata: the AsyncAPI
 * document publishes it, and consumers validate incoming events with it (compiled, it is far faster
 * than class-validator's per-object decorator walk). One source of truth: the classes.
 */
// class-transformer keeps `@Type` metadata in a storage it does not export from its main entry.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

export type JsonSchema = { [keyword: string]: unknown };
type Constructor = new (...args: never[]) => object;
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

// ---------------------------------------------------------------------------------------------
// class-validator metadata → JSON Schema

/** How each validation decorator (by its metadata name) constrains a value. */
const CONSTRAINTS: Record<string, (constraints: unknown[]) => JsonSchema> = {
  isString: () => ({ type: 'string' }),
  isNotEmpty: () => ({ minLength: 1 }),
  maxLength: ([max]) => ({ maxLength: max }),
  minLength: ([min]) => ({ minLength: min }),
  length: ([min, max]) => ({ minLength: min, ...(max === undefined ? {} : { maxLength: max }) }),
  isUuid: () => ({ type: 'string', format: 'uuid' }),
  isLegalDate: () => ({ type: 'string', format: 'date' }),
  isIso8601: () => ({ type: 'string', format: 'date-time' }),
  isDateString: () => ({ type: 'string', format: 'date-time' }),
  isEmail: () => ({ type: 'string', format: 'email' }),
  isUrl: () => ({ type: 'string', format: 'uri' }),
  isBoolean: () => ({ type: 'boolean' }),
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  min: ([min]) => ({ minimum: min }),
  max: ([max]) => ({ maximum: max }),
  isPositive: () => ({ exclusiveMinimum: 0 }),
  isIn: ([values]) => withJsonType({ enum: [...(values as unknown[])] }, values as unknown[]),
  equals: ([value]) => withJsonType({ const: value }, [value]),
  matches: ([pattern, modifiers]) => {
    const regex = pattern instanceof RegExp ? pattern : new RegExp(String(pattern), modifiers as string | undefined);
    if (regex.flags.replace(/[gu]/g, '')) throw new Error(`cannot express the regular expression ${regex} in JSON Schema`);
    return { type: 'string', pattern: regex.source };
  },
  isObject: () => ({ type: 'object' }),
  isArray: () => ({ type: 'array' }),
  arrayMinSize: ([min]) => ({ minItems: min }),
  arrayMaxSize: ([max]) => ({ maxItems: max }),
  arrayUnique: () => ({ uniqueItems: true }),
  isDefined: () => ({}),
};

function withJsonType(schema: JsonSchema, values: unknown[]): JsonSchema {
  const types = new Set(values.map((value) => (typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value)));
  if (types.size === 1) {
    const [type] = types;
    if (['string', 'boolean', 'integer', 'number'].includes(type)) return { type, ...schema };
  }
  return schema;
}

/** Decorators are applied bottom-up; list keywords in one fixed order so the document reads well and diffs stay small. */
const KEYWORD_ORDER = [
  '$ref',
  'type',
  'format',
  'const',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
];

function canonicalOrder(schema: JsonSchema): JsonSchema {
  const rank = (keyword: string) => (KEYWORD_ORDER.includes(keyword) ? KEYWORD_ORDER.indexOf(keyword) : KEYWORD_ORDER.length);
  return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => rank(a) - rank(b)));
}

function merge(target: JsonSchema, addition: JsonSchema, where: string) {
  for (const [keyword, value] of Object.entries(addition)) {
    if (keyword in target && JSON.stringify(target[keyword]) !== JSON.stringify(value)) {
      throw new Error(`${where}: conflicting ${keyword} (${JSON.stringify(target[keyword])} and ${JSON.stringify(value)})`);
    }
    target[keyword] = value;
  }
}

/** Every validation rule declared on a class (inherited ones included), by property, in declaration order. */
export function validationMetadataByProperty(target: Function): Map<string, ValidationMetadata[]> {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(target, '', false, false)) {
    byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  }
  return byProperty;
}

export function isOptionalProperty(metadata: ValidationMetadata[]): boolean {
  return metadata.some((rule) => rule.name === 'isOptional');
}

/** The class a `@ValidateNested()` property holds (for arrays: the element class). */
export function nestedClassOf(target: Function, property: string): Constructor {
  const typed = defaultMetadataStorage.findTypeMetadata(target, property);
  const candidate = typed?.typeFunction() ?? Reflect.getMetadata('design:type', target.prototype, property);
  if (typeof candidate !== 'function' || ([Array, Object, Set, Map] as Function[]).includes(candidate)) {
    throw new Error(`${target.name}.${property} is validated as nested but has no @Type(() => Class) saying what it holds`);
  }
  return candidate as Constructor;
}

/**
 * Builds JSON Schemas for classes, collecting nested classes under their class names so the
 * document can `$ref` them from `#/components/schemas`.
 */
export class SchemaBuilder {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly classes = new Map<string, Function>();

  /** A `$ref` to the class's schema, building it (and its nested classes) on first use. */
  ref(target: Constructor): JsonSchema {
    const known = this.classes.get(target.name);
    if (known && known !== target) throw new Error(`two contract classes are named ${target.name}`);
    if (!known) {
      this.classes.set(target.name, target);
      this.schemas[target.name] = {}; // reserve the name first: a class may (indirectly) contain itself
      this.schemas[target.name] = this.objectSchema(target);
    }
    return { $ref: `#/components/schemas/${target.name}` };
  }

  objectSchema(target: Constructor, overrides: Record<string, JsonSchema> = {}): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [property, rules] of validationMetadataByProperty(target)) {
      properties[property] = overrides[property] ?? this.propertySchema(target, property, rules);
      if (!isOptionalProperty(rules)) required.push(property);
    }
    if (!Object.keys(properties).length) throw new Error(`${target.name} has no validated properties`);
    return { type: 'object', title: target.name, required, properties };
  }

  private propertySchema(target: Constructor, property: string, rules: ValidationMetadata[]): JsonSchema {
    const where = `${target.name}.${property}`;
    const schema: JsonSchema = {};
    const items: JsonSchema = {};
    for (const rule of rules) {
      const into = rule.each ? items : schema;
      if (rule.type === 'nestedValidation') {
        merge(into, this.ref(nestedClassOf(target, property)), where);
        continue;
      }
      if (rule.name === 'isOptional') continue;
      const constrain = rule.name ? CONSTRAINTS[rule.name] : undefined;
      if (!constrain) {
        throw new Error(
          `${where}: no JSON Schema mapping for validator ${rule.name ?? rule.type}; add one to libs/contracts/src/json-schema.ts`,
        );
      }
      merge(into, constrain(rule.constraints ?? []), where);
    }
    if (Object.keys(items).length) {
      merge(schema, { type: 'array' }, where);
      schema.items = canonicalOrder(items);
    }
    if (!schema.type && !schema.$ref && !('const' in schema) && !schema.enum) {
      throw new Error(`${where}: cannot tell the JSON type from its validators`);
    }
    return canonicalOrder(schema);
  }
}
