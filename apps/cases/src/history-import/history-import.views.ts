import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

class RowProblemView {
  @ApiProperty({ example: 'pers_dob' }) field: string;
  @ApiProperty() message: string;
}

class RowReportView {
  @ApiProperty({ example: 'ssd_person' }) table: string;
  @ApiProperty({ description: 'The line in its CSV (the header is line 1)' }) line: number;
  @ApiProperty({ enum: ['rejected', 'skipped'] }) outcome: string;
  @ApiProperty({ type: [RowProblemView] }) problems: RowProblemView[];
}

export class ImportCountsView {
  @ApiProperty() applied: number;
  @ApiProperty() rejected: number;
  @ApiProperty() skipped: number;
}

class FamiliesView {
  @ApiProperty() read: number;
  @ApiProperty({ description: 'Cases opened' }) opened: number;
  @ApiProperty({ description: 'Families whose case reference already exists: an import run twice opens nothing twice' })
  alreadyImported: number;
  @ApiProperty() failed: number;
}

class TableProblemView {
  @ApiProperty() table: string;
  @ApiProperty() problem: string;
}

class ImportedCaseView {
  @ApiProperty() familyId: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() caseReference: string;
}

export class HistoryImportReportView {
  @ApiProperty() councilId: string;
  @ApiProperty({ type: FamiliesView }) families: FamiliesView;
  @ApiProperty({ type: ImportCountsView }) rows: ImportCountsView;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ImportCountsView) }, description: 'Per table' })
  byTable: Record<string, ImportCountsView>;
  @ApiProperty({ type: [RowReportView], description: 'Every row not applied, with the fields at fault' }) problems: RowReportView[];
  @ApiProperty({ type: [TableProblemView], description: 'Tables that could not be read at all' }) tableProblems: TableProblemView[];
  @ApiProperty({ type: [ImportedCaseView] }) cases: ImportedCaseView[];
}
