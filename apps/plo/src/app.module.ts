import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topology } from '@plo/contracts';
import { BankHolidayCoverageModule } from '@plo/timescales/bank-holiday-coverage.module';
import { MessagingModule, serviceMigrations } from '@plo/messaging';
import { obligationAnchorMigration, obligationLedgerMigration } from '@plo/obligations';
import { AccessModule, databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { CalendarModule } from './calendar/calendar.module';
import { ChronologyModule } from './chronology/chronology.module';
import { CourtFeedModule } from './court-feed/court-feed.module';
import { HearingsModule } from './hearings/hearings.module';
import { KnownCasesModule } from './known-cases/known-cases.module';
import { PloKpisModule } from './kpis/kpis.module';
import { LegalInvolvementModule } from './legal-involvement/legal-involvement.module';
import { Proceedings1764100000200 } from './migrations/1764100000200-proceedings';
import { PloStages1764100000210 } from './migrations/1764100000210-plo-stages';
import { PloTasksAndAccess1764100000220 } from './migrations/1764100000220-plo-tasks-and-access';
import { ProceedingsReads1764100000230 } from './migrations/1764100000230-proceedings-reads';
import { PloCouncilRules1764100000240 } from './migrations/1764100000240-council-rules';
import { PloFeedOwnerRights1764100000250 } from './migrations/1764100000250-feed-owner-rights';
import { ChildWarningDates1764100000670 } from './migrations/1764100000670-child-warning-dates';
import { GatewayInvolvement1764100000680 } from './migrations/1764100000680-gateway-involvement';
import { HearingChanges1765000000100 } from './migrations/1765000000100-hearing-changes';
import { PloPerChild1764100000610 } from './migrations/1764100000610-per-child';
import { PloEnvironment } from './plo.environment';
import { PreProceedingsModule } from './pre-proceedings/pre-proceedings.module';
import { ProceedingsModule } from './proceedings/proceedings.module';

export const PLO_MIGRATIONS = serviceMigrations([
  Proceedings1764100000200,
  PloStages1764100000210,
  PloTasksAndAccess1764100000220,
  ProceedingsReads1764100000230,
  PloCouncilRules1764100000240,
  PloFeedOwnerRights1764100000250,
  obligationLedgerMigration('plo_obligations'),
  obligationAnchorMigration('plo_obligations'),
  PloPerChild1764100000610,
  ChildWarningDates1764100000670,
  GatewayInvolvement1764100000680,
  HearingChanges1765000000100,
]);

@Module({})
export class PloModule {
  static forRoot(env: PloEnvironment): DynamicModule {
    return {
      module: PloModule,
      // Every feature reads the service's configuration.
      global: true,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => loadEnvironment(PloEnvironment, raw) }),
        TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, PLO_MIGRATIONS)),
        PlatformModule.forRoot(env),
        BankHolidayCoverageModule,
        AccessModule.forRoot(env, 'plo'),
        MessagingModule.forRoot(env, Topology.plo),
        KnownCasesModule,
        PreProceedingsModule,
        ProceedingsModule,
        HearingsModule,
        CourtFeedModule,
        CalendarModule,
        LegalInvolvementModule,
        PloKpisModule,
        ChronologyModule,
      ],
      providers: [{ provide: PloEnvironment, useValue: env }],
      exports: [PloEnvironment],
    };
  }
}
