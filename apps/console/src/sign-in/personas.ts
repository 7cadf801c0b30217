import type { Role } from '@plo/platform';

/**
 * The demo personas: the same people the identity provider's development realm holds
 * (deploy/keycloak/plo-realm.json) and the demo scenario uses, so a development sign-in and a
 * Keycloak sign-in see the same pages.
 */
export interface Persona {
  subject: string;
  name: string;
  description: string;
  roles: Role[];
  teamIds: string[];
}

export const PERSONAS: readonly Persona[] = [
  { subject: 'tm.sam', name: 'Sam Okafor', description: 'Team manager, North 1', roles: ['team-manager'], teamIds: ['north-1'] },
  {
    subject: 'sm.jo',
    name: 'Jo Whitfield',
    description: 'Service manager, North 1 and North 2',
    roles: ['service-manager'],
    teamIds: ['north-1', 'north-2'],
  },
  { subject: 'sw.alex', name: 'Alex Morgan', description: 'Social worker, North 1', roles: ['social-worker'], teamIds: ['north-1'] },
  { subject: 'sw.pat', name: 'Pat Quinn', description: 'Social worker, North 2', roles: ['social-worker'], teamIds: ['north-2'] },
  { subject: 'tm.lee', name: 'Lee Hart', description: 'Team manager, North 2', roles: ['team-manager'], teamIds: ['north-2'] },
  { subject: 'law.kim', name: 'Kim Adeyemi', description: 'Local authority solicitor', roles: ['legal'], teamIds: [] },
];
