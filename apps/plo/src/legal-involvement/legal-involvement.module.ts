import { Module } from '@nestjs/common';
import { LegalInvolvementBackfill } from './legal-involvement-backfill';

/** Each child's legal involvement, announced by the features that start and end it; this module announces what came before. */
@Module({ providers: [LegalInvolvementBackfill] })
export class LegalInvolvementModule {}
