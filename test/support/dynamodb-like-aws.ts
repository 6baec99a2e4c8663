import { ConditionalCheckFailedException, GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/**
 * Counts the commands `client` sends, by command name (`PutItemCommand`, …). With `returnOldItem`,
 * a failed conditional write also carries the item that failed it, as DynamoDB answers
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD` and dynalite does not: the item is read back
 * (strongly consistent, through `returnOldItem.reader`, which is not counted) by the table's key
 * attributes, taken from the write's `Item` or `Key`.
 */
export function countCommands(client: DynamoDBClient, returnOldItem?: { reader: DynamoDBClient; tableName: string; keyAttributes: readonly string[] }) {
  let counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?';
      counts[name] = (counts[name] ?? 0) + 1;
      try {
        return await next(args);
      } catch (error) {
        const input = args.input as { Item?: Item; Key?: Item; ReturnValuesOnConditionCheckFailure?: string };
        const written = input.Item ?? input.Key;
        if (returnOldItem && written && error instanceof ConditionalCheckFailedException && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') {
          const key = Object.fromEntries(returnOldItem.keyAttributes.map((name) => [name, written[name]!]));
          error.Item = (await returnOldItem.reader.send(new GetItemCommand({ TableName: returnOldItem.tableName, Key: key, ConsistentRead: true }))).Item;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'countCommandsLikeAws' },
  );
  const count = (...names: string[]) => names.reduce((sum, name) => sum + (counts[name] ?? 0), 0);
  return { calls: () => counts, count, reset: () => void (counts = {}) };
}
