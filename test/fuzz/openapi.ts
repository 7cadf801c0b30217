import type { ServiceName } from '@plo/testing';

/** The part of JSON Schema the services' OpenAPI documents use. */
export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  maximum?: number;
  minimum?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One operation of one service, its schemas resolved. */
export interface Operation {
  service: ServiceName;
  method: string;
  /** The path template, e.g. `/cases/{caseId}/reviews/{reviewId}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  body?: Schema;
  /** True when the document says nothing about the body's fields (an empty or free-form schema). */
  bodyUndocumented: boolean;
}

export const operationKey = (operation: Pick<Operation, 'service' | 'method' | 'path'>) =>
  `${operation.service} ${operation.method} ${operation.path}`;

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Every operation a service's OpenAPI document declares. */
export function operationsOf(service: ServiceName, document: OpenApiDocument): Operation[] {
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: Schema, depth = 0): Schema => {
    if (depth > 8) return {};
    if (schema.$ref) return resolve(schemas[schema.$ref.split('/').at(-1)!] ?? {}, depth + 1);
    if (schema.allOf)
      return schema.allOf.reduce<Schema>((merged, part) => ({ ...merged, ...resolve(part, depth + 1) }), { ...schema, allOf: undefined });
    return {
      ...schema,
      properties:
        schema.properties &&
        Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, resolve(property, depth + 1)])),
      items: schema.items && resolve(schema.items, depth + 1),
    };
  };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const json = operation.requestBody?.content['application/json']?.schema;
      const body = json && resolve(json);
      // Nest documents a required header twice (`if-match` and `If-Match`); HTTP headers ignore case.
      const seen = new Set<string>();
      const parameters = (operation.parameters ?? []).filter((p) => {
        const key = `${p.in}:${p.name.toLowerCase()}`;
        return !seen.has(key) && (seen.add(key), true);
      });
      return {
        service,
        method: method.toUpperCase(),
        path,
        parameters: parameters.map((p) => ({
          ...p,
          name: p.in === 'header' ? p.name.toLowerCase() : p.name,
          schema: resolve(p.schema ?? {}),
        })),
        body,
        bodyUndocumented: Boolean(body) && !Object.keys(body!.properties ?? {}).length,
      };
    }),
  );
}
