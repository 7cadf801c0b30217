import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Topology } from '@plo/contracts';
import { BankHolidayCoverageModule } from '@plo/timescales/bank-holiday-coverage.module';
import { MessagingModule, serviceMigrations } from '@plo/messaging';
import { obligationAnchorMigration, obligationLedgerMigration } from '@plo/obligations';
import { AccessModule, databaseOptions, loadEnvironment, PlatformModule } from '@plo/platform';
import { AssessmentsModule } from './assessments/assessments.module';
import { CaseNotesModule } from './case-notes/case-notes.module';
import { CaseRecordModule } from './case-record/case-record.module';
import { ChildStatusesModule } from './child-statuses/child-statuses.module';
import { CasesEnvironment } from './cases.environment';
import { ChronologyModule } from './chronology/chronology.module';
import { CouncilRulesModule } from './council-rules/council-rules.module';
import { EnquiriesModule } from './enquiries/enquiries.module';
import { HistoryImportModule } from './history-import/history-import.module';
import { CaseRegister1764100000100 } from './migrations/1764100000100-case-register';
import { CaseRecord1764100000110 } from './migrations/1764100000110-case-record';
import { PerChildVisits1764100000120 } from './migrations/1764100000120-per-child-visits';
import { CouncilRules1764100000130 } from './migrations/1764100000130-council-rules';
import { CaseRecordReads1764100000140 } from './migrations/1764100000140-case-record-reads';
import { CaseNotes1764100000700 } from './migrations/1764100000700-case-notes';
import { FrontDoor1764100000710 } from './migrations/1764100000710-front-door';
import { Enquiries1764100000720 } from './migrations/1764100000720-enquiries';
import { CourtRecordAndMissedTimescales1764100000740 } from './migrations/1764100000740-court-record-and-missed-timescales';
import { Supervision1764100000730 } from './migrations/1764100000730-supervision';
import { RuleChangeMoves1764100000660 } from './migrations/1764100000660-rule-change-moves';
import { ChildStatuses1764100000600 } from './migrations/1764100000600-child-statuses';
import { PlansModule } from './plans/plans.module';
import { ReferralsModule } from './referrals/referrals.module';
import { ReviewsModule } from './reviews/reviews.module';
import { SupervisionModule } from './supervision/supervision.module';
import { VisitsModule } from './visits/visits.module';

export const CASES_MIGRATIONS = serviceMigrations([
  CaseRegister1764100000100,
  CaseRecord1764100000110,
  PerChildVisits1764100000120,
  CouncilRules1764100000130,
  CaseRecordReads1764100000140,
  obligationLedgerMigration('obligations'),
  obligationAnchorMigration('obligations'),
  RuleChangeMoves1764100000660,
  ChildStatuses1764100000600,
  CaseNotes1764100000700,
  FrontDoor1764100000710,
  Enquiries1764100000720,
  CourtRecordAndMissedTimescales1764100000740,
  Supervision1764100000730,
]);

@Module({})
export class CasesModule {
  static forRoot(env: CasesEnvironment): DynamicModule {
    return {
      module: CasesModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: (raw) => loadEnvironment(CasesEnvironment, raw) }),
        TypeOrmModule.forRoot(databaseOptions(env.DATABASE_URL, CASES_MIGRATIONS)),
        PlatformModule.forRoot(env),
        BankHolidayCoverageModule,
        AccessModule.forRoot(env, 'cases'),
        MessagingModule.forRoot(env, Topology.cases),
        CaseRecordModule,
        VisitsModule,
        ReviewsModule,
        PlansModule,
        ReferralsModule,
        CouncilRulesModule,
        ChildStatusesModule,
        HistoryImportModule,
        CaseNotesModule,
        ChronologyModule,
        AssessmentsModule,
        EnquiriesModule,
        SupervisionModule,
      ],
    };
  }
}
