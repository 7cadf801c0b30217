import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { KafkaInboxServerLike } from './transport';
import { BaseEnvironment } from './config';
import { correlate } from './correlation';
import { ApiExceptionFilter, strictValidationPipe } from './http-errors';
import { JsonLogger } from './json-logger';
import { conformOpenApi } from './openapi';

/** Every route's JSON body limit unless the service names a larger one. */
export const GENERAL_BODY_LIMIT_BYTES = 256 * 1024;

export interface ServiceDescription {
  name: string;
  title: string;
  description: string;
  /** The transport that feeds `@EventPattern` handlers, if the service consumes events. */
  inboxServer?: Type<KafkaInboxServerLike>;
  httpHost?: string;
  /** Routes (this path and below) that take a bigger JSON body than GENERAL_BODY_LIMIT_BYTES (a council's history extract). */
  largeBodies?: { path: string; limitBytes: number }[];
}

/** Starts a hybrid service: the HTTP API and, if it consumes, the Kafka inbox in one process. */
export async function startService(rootModule: unknown, env: BaseEnvironment, service: ServiceDescription): Promise<INestApplication> {
  const logger = new JsonLogger(service.name, env.LOG_LEVEL);
  try {
    return await start(rootModule, env, service, logger);
  } catch (error) {
    logger.error({ msg: `${service.name} could not start`, error: (error as Error).message, stack: (error as Error).stack });
    process.exit(1);
  }
}

/**
 * Fastify, configured so that what reaches Nest is what Express gave it: `__proto__` and
 * `constructor` keys are kept (not refused by the parser with a message naming nothing) so the
 * hostile-input guard names the field; a body in a media type no parser reads is left unread, for the
 * guard to refuse with 415 or a route that streams it (the court CSV) to read itself.
 */
export function serviceHttpAdapter(service: Pick<ServiceDescription, 'largeBodies'>): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: GENERAL_BODY_LIMIT_BYTES,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // Routed as Express routed them: `/cases/` and `/Cases` are `/cases`, and an over-long id reaches
    // the validation that names the field instead of the router's bare 414.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2048 },
  });
  const fastify = adapter.getInstance();
  // Fastify would read text/plain into a string no route of ours takes.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  // An empty JSON body is an empty object, as Express read it: clients send the JSON content type on
  // a POST without a body (acknowledge, retry), which Fastify alone would refuse.
  const parseJson = fastify.getDefaultJsonParser('ignore', 'ignore');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body.length === 0 ? done(null, {}) : parseJson(request, body as string, done),
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  fastify.addHook('onRoute', (route) => {
    const large = service.largeBodies?.find(({ path }) => route.url === path || route.url.startsWith(`${path}/`));
    if (large) route.bodyLimit = large.limitBytes;
  });
  // Before routing and body parsing, so the id is on every answer, 404s and 413s included, and the
  // context follows the request through the parser into the handler.
  fastify.addHook('onRequest', (request, reply, done) => correlate(request.headers['x-correlation-id'], reply.raw, done));
  return adapter;
}

async function start(
  rootModule: unknown,
  env: BaseEnvironment,
  service: ServiceDescription,
  logger: JsonLogger,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(rootModule as Type, serviceHttpAdapter(service), {
    logger,
    bodyParser: false,
  });
  // Security headers on every response (helmet's, no X-Powered-By); the API serves JSON, and the docs page needs its own styles.
  app.useSecurityHeaders({
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  // Browsers may call the API only from origins the council names; none by default.
  if (env.CORS_ORIGINS) app.enableCors({ origin: env.CORS_ORIGINS.split(','), credentials: false });
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();

  const document = conformOpenApi(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(service.title)
        .setDescription(service.description)
        .setVersion('1')
        .setLicense('MIT', 'https://opensource.org/license/mit')
        .addServer(`http://127.0.0.1:${env.HTTP_PORT}`, 'this instance')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

  // Module init creates the topics and connects the producer; consumers must not subscribe before it.
  await app.init();
  if (service.inboxServer) {
    app.connectMicroservice({ strategy: app.get(service.inboxServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(env.HTTP_PORT, service.httpHost ?? process.env.HTTP_HOST ?? '127.0.0.1');
  logger.log({ msg: `${service.name} listening`, port: env.HTTP_PORT });
  return app;
}
