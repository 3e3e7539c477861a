-- wrk's --latency table gives the 50th, 75th, 90th and 99th percentiles; this adds the 95th
-- (latency is in microseconds), in the table's own format, for bench/pages.py to read.
done = function(summary, latency, requests)
  io.write(string.format("     95%%  %.2fus\n", latency:percentile(95)))
end
