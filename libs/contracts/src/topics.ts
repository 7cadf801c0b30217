/**
 * Every Kafka topic the product uses. Topics are created explicitly at start-up (auto-create is off
 * on the broker), so a name that is not here cannot be produced to.
 *
 * Domain topics carry one service's events keyed by case id, so all events of one case stay in order
 * on one partition whatever their type.
 */
export const Topics = {
  caseEvents: 'plo.cases.events.v1',
  proceedingsEvents: 'plo.proceedings.events.v1',
  alertEvents: 'plo.alerts.events.v1',
  courtHearingUpdates: 'plo.court.hearing-updates.v1',
  courtTimetable: 'plo.court.timetable.v1',
} as const;

export type DomainTopic = (typeof Topics)[keyof typeof Topics];

/** A consumer's dead letters: the original message plus why it could not be applied. */
export function deadLetterTopic(consumerName: string): string {
  return `plo.dead-letter.${consumerName}.v1`;
}
