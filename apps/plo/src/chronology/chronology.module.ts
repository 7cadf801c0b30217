import { Module } from '@nestjs/common';
import { ChronologyController } from './chronology.controller';
import { ChronologyService } from './chronology.service';

/** A case's PLO history, dated, for the chronology a court application carries. */
@Module({ controllers: [ChronologyController], providers: [ChronologyService] })
export class ChronologyModule {}
