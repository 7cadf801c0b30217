import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { ChronologyController } from './chronology.controller';
import { ChronologyService } from './chronology.service';
import { ChronologyStore } from './chronology.store';

/** Each child's chronology, assembled from cases' records (PLO's facts arrive as the child's statuses), and its exports. */
@Module({
  imports: [CaseModule],
  controllers: [ChronologyController],
  providers: [ChronologyStore, ChronologyService],
})
export class ChronologyModule {}
