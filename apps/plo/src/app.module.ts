import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics } from '@plo/contracts';
import { MessagingModule, MessagingTables1764100000000 } from '@plo/messaging';
import { databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { Proceedings1764100000200 } from './migrations/1764100000200-proceedings';
import { PloEnvironment } from './plo.environment';
import { CaseEventHandlers, ProceedingsController } from './proceedings.controller';
import { ProceedingsService } from './proceedings.service';

export const PLO_MIGRATIONS = [MessagingTables1764100000000, Proceedings1764100000200];

@Module({})
export class PloModule {
  static forRoot(env: PloEnvironment): DynamicModule {
    return {
      module: PloModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => loadEnvironment(PloEnvironment, raw) }),
        TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, PLO_MIGRATIONS)),
        PlatformModule.forRoot(env),
        MessagingModule.forRoot(env, {
          serviceName: 'plo',
          produces: [Topics.proceedingsEvents, Topics.courtTimetable],
          consumes: [Topics.caseEvents],
        }),
      ],
      controllers: [ProceedingsController, CaseEventHandlers],
      providers: [ProceedingsService],
    };
  }
}
