import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { urlencoded } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigurationError, JsonLogger } from '@plo/platform';
import { ConsoleModule } from './console.module';
import { loadConsoleEnvironment } from './console.environment';
import { configureRendering, GOVUK_FRONTEND } from './rendering';

async function main() {
  let env;
  try {
    env = loadConsoleEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  const logger = new JsonLogger('console', env.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(ConsoleModule.forRoot(env), { logger, bodyParser: false });
  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  express.set('trust proxy', env.NODE_ENV === 'production' ? 1 : false);

  // GOV.UK Frontend's template runs one inline script, allowed by a nonce fresh on every response.
  app.use((_request: unknown, response: { locals: Record<string, string> }, next: () => void) => {
    response.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  const servedOverHttps = env.CONSOLE_URL.startsWith('https://');
  const formTargets = ["'self'", ...(env.OIDC_ISSUER ? [new URL(env.OIDC_ISSUER).origin] : [])];
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [
            "'self'",
            (_request, response) => `'nonce-${(response as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`,
          ],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          // Signing out posts a form whose answer redirects to the identity provider.
          formAction: formTargets,
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: servedOverHttps ? [] : null,
        },
      },
      strictTransportSecurity: servedOverHttps,
    }),
  );
  app.useStaticAssets(join(GOVUK_FRONTEND, 'govuk'), { prefix: '/govuk-frontend', index: false, maxAge: '1d' });
  // GOV.UK Frontend's compiled CSS refers to its images and fonts at /assets.
  app.useStaticAssets(join(GOVUK_FRONTEND, 'govuk', 'assets'), { prefix: '/assets', index: false, maxAge: '1d' });
  app.useStaticAssets(join(__dirname, 'public'), { prefix: '/console', index: false, maxAge: '1h' });
  app.use(urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));
  configureRendering(app, join(__dirname, 'views'));
  app.enableShutdownHooks();
  await app.listen(env.HTTP_PORT, process.env.HTTP_HOST ?? '127.0.0.1');
  logger.log({ msg: 'console listening', port: env.HTTP_PORT, url: env.CONSOLE_URL });
}

void main();
