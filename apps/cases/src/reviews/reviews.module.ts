import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CouncilRulesModule } from '../council-rules/council-rules.module';
import { ReviewSeries } from './review-series';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';
import { ReviewsStore } from './reviews.store';

/** Reviews and conferences; other features of a case start and end review series through ReviewSeries. */
@Module({
  imports: [CaseModule, CouncilRulesModule],
  controllers: [ReviewsController],
  providers: [ReviewsStore, ReviewSeries, ReviewsService],
  exports: [ReviewSeries, ReviewsService],
})
export class ReviewsModule {}
