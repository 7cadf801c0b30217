import { HearingRow } from './hearings.store';
import { HearingView } from './hearings.views';

/** A hearing as the API shows it. */
export function hearingView(row: HearingRow): HearingView {
  return {
    id: row.id,
    hearingType: row.hearing_type,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at ? row.ends_at.toISOString() : null,
    hearingDate: row.hearing_date,
    venue: row.venue,
    judge: row.judge,
    listingStatus: row.listing_status,
    status: row.status,
    outcome: row.outcome,
    courtHearingId: row.court_hearing_id,
    draftOrderUploadedOn: row.draft_order_uploaded_on ?? null,
    movedFrom: row.moved_from ?? null,
  };
}
