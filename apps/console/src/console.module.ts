import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseOptions } from '@plo/platform';
import { Backend } from './backend/backend';
import { ConsoleEnvironment } from './console.environment';
import { PageErrorsFilter } from './http/page-errors.filter';
import { PageGuard } from './http/page.guard';
import { SessionMiddleware } from './http/session.middleware';
import { PAGE_CONTROLLERS } from './pages';
import { ConsoleSessions1765000000000 } from './sessions/sessions.migration';
import { SessionStore } from './sessions/session.store';
import { SessionSweeper } from './sessions/session.sweeper';
import { SignInController } from './sign-in/sign-in.controller';
import { SignInService } from './sign-in/sign-in.service';

/** The console: server-rendered pages over the three services' APIs, as the signed-in person. */
@Module({})
export class ConsoleModule implements NestModule {
  static forRoot(env: ConsoleEnvironment): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, [ConsoleSessions1765000000000]))],
      controllers: [SignInController, ...PAGE_CONTROLLERS],
      providers: [
        { provide: ConsoleEnvironment, useValue: env },
        SessionStore,
        SessionSweeper,
        SignInService,
        Backend,
        { provide: APP_GUARD, useClass: PageGuard },
        { provide: APP_FILTER, useClass: PageErrorsFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SessionMiddleware).forRoutes('{*path}');
  }
}
