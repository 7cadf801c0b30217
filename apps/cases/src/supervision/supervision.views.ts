import { ApiProperty } from '@nestjs/swagger';

export class SupervisionActionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Its place in the session, from 1' }) position: number;
  @ApiProperty() description: string;
  @ApiProperty() ownerId: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty() measurableOutcome: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) doneOn: string | null;
}

export class SupervisionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ format: 'date' }) heldOn: string;
  @ApiProperty() supervisorId: string;
  @ApiProperty() workerId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) childIds: string[];
  @ApiProperty({ type: [String] }) decisions: string[];
  @ApiProperty({ type: [SupervisionActionView] }) actions: SupervisionActionView[];
  @ApiProperty() recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}
