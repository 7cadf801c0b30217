import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { FEED_SCOPES, FeedScope } from './calendar.store';

export class CreateFeedDto {
  @IsIn(FEED_SCOPES) scope: FeedScope;
  @IsString() @IsNotEmpty() @MaxLength(200) scopeId: string;
}

export class ListFeedsQuery {
  @IsOptional() @IsIn(FEED_SCOPES) scope?: FeedScope;
  @IsOptional() @IsString() @MaxLength(200) scopeId?: string;
}
