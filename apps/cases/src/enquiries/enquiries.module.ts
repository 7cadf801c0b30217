import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { EnquiriesController } from './enquiries.controller';
import { EnquiriesService } from './enquiries.service';
import { EnquiriesStore } from './enquiries.store';

/** Strategy discussions and s.47 enquiries; the ICPC they make due is a review, through ReviewSeries. */
@Module({
  imports: [CaseModule, ReviewsModule],
  controllers: [EnquiriesController],
  providers: [EnquiriesStore, EnquiriesService],
})
export class EnquiriesModule {}
