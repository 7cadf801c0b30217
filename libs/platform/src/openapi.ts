import { OpenAPIObject } from '@nestjs/swagger';

type Operation = {
  parameters?: { in?: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: unknown[];
  'x-public'?: boolean;
};

/** The body of every error (ApiExceptionFilter): status, message, the failing fields of a 400, and the correlation id to quote. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    message: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    fields: {
      type: 'array',
      description: 'On a 400: every field that failed, each with its messages.',
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: {
          field: { type: 'string', example: 'children.0.dateOfBirth' },
          messages: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    correlationId: {
      type: 'string',
      format: 'uuid',
      description: 'Quote it when reporting a problem: every log line of the request carries it.',
    },
  },
} as const;

const problem = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/**
 * Makes the generated document usable by standard clients: the bearer scheme declared and required
 * on every operation but the public ones (marked `x-public` by `@Public()`), and the errors every
 * operation can answer described with one shared schema, beside what each route documents itself.
 */
export function conformOpenApi(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: "An access token from the council's identity provider (in development: `npm run token`).",
      },
    },
    schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never },
  };
  document.security = [{ bearer: [] }];
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Operation[]) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      const isPublic = operation['x-public'] === true;
      delete operation['x-public'];
      if (isPublic) operation.security = [];
      const responses = operation.responses;
      const add = (status: string, description: string) => {
        if (!responses[status]) responses[status] = problem(description);
      };
      if (operation.requestBody || operation.parameters?.length)
        add('400', 'Invalid input: every failing field is named in `fields`; nothing is written');
      if (!isPublic) {
        add('401', 'No bearer token, or one that is expired, for another audience or not signed by a trusted key');
        add('403', 'Your role or scopes do not allow this operation');
      }
      if (operation.parameters?.some((parameter) => parameter.in === 'path')) add('404', 'Unknown, or not visible to you');
      add('429', 'Too many requests from you: wait for Retry-After seconds');
      add('500', 'Something failed on our side; the body carries no detail but the correlation id');
    }
  }
  return document;
}
