import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import type { KafkaInboxServerLike } from './transport';
import { BaseEnvironment } from './config';
import { correlationMiddleware } from './correlation.middleware';
import { ApiExceptionFilter, strictValidationPipe } from './http-errors';
import { JsonLogger } from './json-logger';
import { conformOpenApi } from './openapi';

export interface ServiceDescription {
  name: string;
  title: string;
  description: string;
  /** The transport that feeds `@EventPattern` handlers, if the service consumes events. */
  inboxServer?: Type<KafkaInboxServerLike>;
  httpHost?: string;
  /** Routes that take a bigger JSON body than the 256 kB every other route is limited to (a council's history extract). */
  largeBodies?: { path: string; limit: string }[];
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

async function start(
  rootModule: unknown,
  env: BaseEnvironment,
  service: ServiceDescription,
  logger: JsonLogger,
): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule as Type, { logger, bodyParser: false });
  // Security headers on every response; the API serves JSON, and the docs page needs its own styles.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
      },
    }),
  );
  // Browsers may call the API only from origins the council names; none by default.
  if (env.CORS_ORIGINS) app.enableCors({ origin: env.CORS_ORIGINS.split(','), credentials: false });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  // A route with its own limit parses first; the general parser then finds the body read and passes it on.
  for (const { path, limit } of service.largeBodies ?? []) app.use(path, json({ limit }));
  app.use(json({ limit: '256kb' }));
  app.use(correlationMiddleware);
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
