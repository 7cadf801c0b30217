import type { CustomTransportStrategy } from '@nestjs/microservices';

/** Kept structural so the platform library does not depend on the messaging library. */
export type KafkaInboxServerLike = CustomTransportStrategy;
