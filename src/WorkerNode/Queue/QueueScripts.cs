namespace WorkerNode.Queue;

/// <summary>
/// The Lua scripts that make each step atomic on the Redis side (a script runs whole, with nothing in between),
/// so that no crash of a worker between two commands can lose an item or write two final records.
/// </summary>
internal static class QueueScripts
{
    /// <summary>
    /// The item's id as every script computes it, matching <see cref="ItemParser"/>: a JSON object's "id" (a
    /// string, or an integer), else the first 16 hex digits of the item's SHA-1. Also its max_attempts.
    /// </summary>
    private const string ReadItem = """
        local function read_item(raw, default_max)
          local id, max_attempts = nil, default_max
          if string.match(raw, '^%s*{') then
            local ok, item = pcall(cjson.decode, raw)
            if ok and type(item) == 'table' then
              if type(item.id) == 'string' then id = item.id
              elseif type(item.id) == 'number' and item.id == math.floor(item.id) then id = string.format('%d', item.id) end
              if type(item.max_attempts) == 'number' and item.max_attempts >= 1 then max_attempts = item.max_attempts end
            end
          end
          if id == nil then id = string.sub(redis.sha1hex(raw), 1, 16) end
          return id, max_attempts
        end
        """;

    /// <summary>
    /// Once the command has started: writes the lease (ARGV[1] is its JSON without the closing brace, the attempt
    /// is added here) with its TTL, and gives the attempt number (1 + how many leases of this id expired).
    /// KEYS: lease, attempts, unleased. ARGV: lease JSON head, TTL in ms, id.
    /// </summary>
    public const string Start = """
        local expired = tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0')
        redis.call('SET', KEYS[1], ARGV[1] .. ',"attempt":' .. (expired + 1) .. '}', 'PX', ARGV[2])
        redis.call('HDEL', KEYS[3], ARGV[3])
        return expired + 1
        """;

    /// <summary>
    /// Renews the lease unless another worker holds it now (its token differs): 1 when renewed, 0 when lost.
    /// KEYS: lease. ARGV: lease JSON, TTL in ms, this take's token.
    /// </summary>
    public const string Renew = """
        local current = redis.call('GET', KEYS[1])
        if current and not string.find(current, ARGV[3], 1, true) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    /// <summary>
    /// Finishes an item: the record goes to its list and the item leaves processing, together, unless the item
    /// was finished already (a late duplicate: its lease belongs to another worker, or the item is no longer
    /// anywhere). Returns {1 when the record was written else 0, 1 when NAME:stop exists else 0}.
    /// KEYS: processing, pending, result list, lease, attempts, stop. ARGV: item, record, id, token.
    /// </summary>
    public const string Finish = """
        local current = redis.call('GET', KEYS[4])
        local ours = (not current) or string.find(current, ARGV[4], 1, true)
        local written = 0
        if ours then
          local removed = redis.call('LREM', KEYS[1], 1, ARGV[1])
          -- Recovered and requeued while this worker was cut off, but not taken again: this result stands.
          if removed == 0 then removed = redis.call('LREM', KEYS[2], -1, ARGV[1]) end
          if removed > 0 then
            redis.call('LPUSH', KEYS[3], ARGV[2])
            redis.call('HDEL', KEYS[5], ARGV[3])
            written = 1
          end
          if current then redis.call('DEL', KEYS[4]) end
        end
        return {written, redis.call('EXISTS', KEYS[6])}
        """;

    /// <summary>
    /// Puts an interrupted item back at the head of the queue (taken next; its attempt is not raised: an
    /// interruption is not a failure). KEYS: processing, pending, lease. ARGV: item, token. Returns 1 when requeued.
    /// </summary>
    public const string Requeue = """
        local current = redis.call('GET', KEYS[3])
        if current and string.find(current, ARGV[2], 1, true) then redis.call('DEL', KEYS[3]) end
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
        redis.call('RPUSH', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Recovers items whose worker died: an item in processing without a lease (expired, or never written
    /// because the worker died between the take and the lease) for longer than the grace goes back to the head
    /// of the queue with its expired count raised, or, past its max_attempts, to the failed list with a record.
    /// KEYS: processing, pending, failed, attempts, unleased. ARGV: lease prefix, grace in ms, default
    /// max_attempts, node, worker pid. Returns {requeued, given up}.
    /// </summary>
    public const string Recover = ReadItem + """

        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local requeued, given_up = 0, 0
        for _, raw in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
          local id, max_attempts = read_item(raw, tonumber(ARGV[3]))
          if redis.call('EXISTS', ARGV[1] .. id) == 1 then
            redis.call('HDEL', KEYS[5], id)
          else
            local first = tonumber(redis.call('HGET', KEYS[5], id))
            if not first then
              redis.call('HSET', KEYS[5], id, now)
            elseif now - first >= tonumber(ARGV[2]) then
              redis.call('HDEL', KEYS[5], id)
              local expired = redis.call('HINCRBY', KEYS[4], id, 1)
              redis.call('LREM', KEYS[1], 1, raw)
              if expired >= max_attempts then
                redis.call('HDEL', KEYS[4], id)
                redis.call('LPUSH', KEYS[3], cjson.encode({
                  id = id, status = 'gave_up', attempt = expired, item = raw,
                  reason = 'the lease expired ' .. expired .. ' time(s) (its worker died or lost Redis); max_attempts is ' .. max_attempts,
                  node = ARGV[4], worker_pid = tonumber(ARGV[5]),
                  finished_at_ms = now }))
                given_up = given_up + 1
              else
                redis.call('RPUSH', KEYS[2], raw)
                requeued = requeued + 1
              end
            end
          end
        end
        return {requeued, given_up}
        """;
}
