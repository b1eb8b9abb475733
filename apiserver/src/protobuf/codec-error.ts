// A body that is not a valid protobuf encoding of what it claims to be. The HTTP layer answers
// it with 400 and this message; it never reaches the 500 path.
export class ProtobufCodecError extends Error {
  override readonly name = 'ProtobufCodecError';
}
