import { ApiProperty } from '@nestjs/swagger';

export class TeamServiceManager {
  @ApiProperty({ example: 'north-1' }) teamId: string;
  @ApiProperty({ example: 'sm.jo', description: 'Who alerts on the team reach at the last step of the escalation ladder' })
  serviceManagerId: string;
}

export class PersonAddress {
  @ApiProperty({ example: 'tm.sam' }) personId: string;
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty({ nullable: true, type: String }) displayName: string | null;
}
