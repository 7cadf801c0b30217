import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';
import { UnitOfWork } from '@plo/messaging';
import { Clock, Principal, PRINCIPAL } from '@plo/platform';
import { recordOwnerRights } from './calendar.store';

/**
 * How long this instance trusts that the rights it last wrote for a person are still the stored ones.
 * Another instance may have written other rights meanwhile (a request carrying another of the person's
 * tokens); that can only leave a feed serving less, for at most this long. It also bounds how old
 * rights_seen_at is for someone who keeps calling.
 */
const UNCHANGED_RIGHTS_TRUSTED_MS = 10 * 60_000;
/** People remembered per instance; beyond that the oldest are forgotten (they cost one write). */
const REMEMBERED_PEOPLE = 10_000;

/**
 * Keeps calendar feeds in step with their owners' rights. PLO has no directory of people: what someone
 * may see is known only from the bearer token of their requests, so each one is written to their feeds.
 */
@Injectable()
export class FeedOwners {
  private readonly written = new Map<string, { rights: string; at: number }>();

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async seen(person: Principal): Promise<void> {
    const key = `${person.councilId}\u0000${person.subject}`;
    const rights = JSON.stringify([[...person.teamIds].sort(), [...person.roles].sort()]);
    const now = this.clock.now();
    const last = this.written.get(key);
    const age = last ? now.getTime() - last.at : Infinity;
    if (last?.rights === rights && age >= 0 && age < UNCHANGED_RIGHTS_TRUSTED_MS) return;
    await this.unitOfWork.transaction((tx) => recordOwnerRights(tx, person, now));
    this.written.delete(key);
    this.written.set(key, { rights, at: now.getTime() });
    if (this.written.size > REMEMBERED_PEOPLE) this.written.delete(this.written.keys().next().value!);
  }
}

/**
 * Runs on every route of the service, once the handler has succeeded and before the answer leaves: a
 * person's feeds know their rights as of that request. A refused request writes nothing (no write
 * after a 4xx, which the fuzzer checks), so it does not refresh; the feed's rights then age out
 * (FEED_OWNER_RIGHTS_MAX_AGE_DAYS).
 */
@Injectable()
export class FeedOwnerRightsInterceptor implements NestInterceptor {
  constructor(private readonly owners: FeedOwners) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const principal = context.switchToHttp().getRequest<FastifyRequest & { [PRINCIPAL]?: Principal }>()[PRINCIPAL];
    if (principal?.kind !== 'user') return next.handle();
    return next.handle().pipe(mergeMap((body) => from(this.owners.seen(principal).then(() => body))));
  }
}
