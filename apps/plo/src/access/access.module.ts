import { Module } from '@nestjs/common';
import { PloAccess } from './plo-access';

/** Who may see which case's PLO records. */
@Module({ providers: [PloAccess], exports: [PloAccess] })
export class PloAccessModule {}
