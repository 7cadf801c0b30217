import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { FEED_SCOPES, FeedScope } from './calendar.store';

export class CreateFeedDto {
  @ApiProperty({ enum: FEED_SCOPES }) @IsIn(FEED_SCOPES) scope: FeedScope;
  @ApiProperty({ description: 'The case id, worker (subject) or team id the feed follows', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  scopeId: string;
}

export class ListFeedsQuery {
  @ApiPropertyOptional({ enum: FEED_SCOPES }) @IsOptional() @IsIn(FEED_SCOPES) scope?: FeedScope;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) scopeId?: string;
}

export class CreatedFeedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: FEED_SCOPES }) scope: FeedScope;
  @ApiProperty() scopeId: string;
  @ApiProperty({ description: 'The secret in the feed URL; shown only in this response (only its hash is kept)' }) token: string;
  @ApiProperty({ example: '/calendar/{token}.ics', description: 'The URL path to subscribe to' }) path: string;
  @ApiProperty({ description: 'Who made the feed (its owner)' }) createdBy: string;
}

export class FeedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: FEED_SCOPES }) scope: FeedScope;
  @ApiProperty() scopeId: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
}
