import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Ctx, Payload } from '@nestjs/microservices';
import { HandlesEvent, HMC_HEARING_UPDATE, InboxContext } from '@plo/messaging';
import { CourtFeedService } from './court-feed.service';

/** The court's hearing updates from Kafka (HMC-shaped JSON, handed over as text by the inbox). */
// A Kafka handler, not an HTTP operation: it has no place in the OpenAPI document.
@ApiExcludeController()
@Controller()
export class CourtFeedHandlers {
  constructor(private readonly court: CourtFeedService) {}

  /** What cannot be applied is listed for legal staff and dead-lettered; a stale or no-op update is recorded as ignored. */
  @HandlesEvent(HMC_HEARING_UPDATE)
  async hearingUpdate(@Payload() text: string | null, @Ctx() context: InboxContext) {
    const result = await this.court.applyConsumed(context.transaction, text);
    if (result.outcome === 'rejected') context.reject(result.reason);
    else if (result.outcome !== 'applied') context.ignore();
  }
}
