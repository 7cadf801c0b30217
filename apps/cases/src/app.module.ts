import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topics } from '@plo/contracts';
import { MessagingModule, MessagingTables1764100000000 } from '@plo/messaging';
import { databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { CasesController } from './cases.controller';
import { CasesEnvironment } from './cases.environment';
import { CasesService } from './cases.service';
import { CaseRegister1764100000100 } from './migrations/1764100000100-case-register';

export const CASES_MIGRATIONS = [MessagingTables1764100000000, CaseRegister1764100000100];

@Module({})
export class CasesModule {
  static forRoot(env: CasesEnvironment): DynamicModule {
    return {
      module: CasesModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => loadEnvironment(CasesEnvironment, raw) }),
        TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, CASES_MIGRATIONS)),
        PlatformModule.forRoot(env),
        MessagingModule.forRoot(env, { serviceName: 'cases', produces: [Topics.caseEvents], consumes: [] }),
      ],
      controllers: [CasesController],
      providers: [CasesService],
    };
  }
}
