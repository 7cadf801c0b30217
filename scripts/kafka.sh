#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) for development, demos and tests, without Docker.
#
#   scripts/kafka.sh ensure   start it unless one already answers on 127.0.0.1:9092 (idempotent)
#   scripts/kafka.sh start    same as ensure
#   scripts/kafka.sh stop     stop the broker this script started
#   scripts/kafka.sh kill     SIGKILL it (fault tests use this)
#   scripts/kafka.sh status   say whether it is up
#   scripts/kafka.sh reset    stop it and delete its data
#
# A three-broker cluster beside it (each broker also a KRaft controller: a quorum of three voters), for
# the fault scenarios that need replication. Clients connect to 127.0.0.1:19092,19093,19094.
#
#   scripts/kafka.sh cluster              start every broker of the cluster not already running
#   scripts/kafka.sh cluster-stop         stop all three (controlled shutdown)
#   scripts/kafka.sh cluster-status       say which of the three are up; exits 3 unless all are
#   scripts/kafka.sh cluster-kill N       SIGKILL broker N (1-3)
#   scripts/kafka.sh cluster-stop-one N   stop broker N cleanly (SIGTERM: its leaderships move first)
#   scripts/kafka.sh cluster-start N      start broker N again and wait until it serves
#   scripts/kafka.sh cluster-reset        stop the cluster and delete its data
#
# Everything it keeps (jars, config, data, logs, pid) lives under .local/kafka, which git ignores; the
# cluster keeps its own under .local/kafka-cluster and shares the jars.
# The broker version is pinned in infra/kafka/pom.xml and fetched from Maven Central by Maven.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${KAFKA_LOCAL_HOME:-$ROOT/.local/kafka}"
LIB="$HOME_DIR/lib"
DATA="$HOME_DIR/data"
LOGS="$HOME_DIR/logs"
CONF="$HOME_DIR/server.properties"
PIDFILE="$HOME_DIR/broker.pid"
HOST=127.0.0.1
PORT="${KAFKA_LOCAL_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_LOCAL_CONTROLLER_PORT:-9093}"
POM="$ROOT/infra/kafka/pom.xml"

say() { printf 'kafka: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

require_tools() {
  command -v java >/dev/null 2>&1 || die "Java 17+ is needed to run the broker and 'java' is not on PATH (Debian: apt-get install openjdk-17-jre-headless)."
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17+ is needed; found Java ${major:-unknown}."
}

fetch_jars() {
  if [ -f "$LIB/.complete" ] && [ "$LIB/.complete" -nt "$POM" ]; then return; fi
  command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Apache Kafka from Maven Central and 'mvn' is not on PATH (Debian: apt-get install maven)."
  say "fetching Apache Kafka $(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM") from Maven Central into $LIB"
  rm -rf "$LIB"; mkdir -p "$LIB"
  mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$LIB" >"$HOME_DIR/maven.log" 2>&1 \
    || die "Maven could not fetch Kafka; see $HOME_DIR/maven.log"
  touch "$LIB/.complete"
}

# A broker's log4j2 configuration: a rolling file under its logs folder, quiet request and controller loggers.
write_log_config() {
  local home="$1" logs="$2"
  cat >"$home/log4j2.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="file" fileName="$logs/server.log" filePattern="$logs/server.%i.log">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="20 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="org.apache.kafka.controller" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

write_config() {
  mkdir -p "$DATA" "$LOGS"
  cat >"$CONF" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are created explicitly by the services (libs/messaging); a typo must not create a topic.
auto.create.topics.enable=false
# Keep everything for local use: replay-from-beginning rebuilds depend on it.
log.retention.ms=-1
EOF
  write_log_config "$HOME_DIR" "$LOGS"
}

java_cmd() {
  java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HOME_DIR/log4j2.xml" -cp "$LIB/*" "$@"
}

format_storage() {
  [ -f "$DATA/meta.properties" ] && return
  local cluster_id
  cluster_id=$(java_cmd kafka.tools.StorageTool random-uuid | tail -n 1)
  java_cmd kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$CONF" >"$LOGS/format.log" 2>&1 \
    || die "formatting the broker's storage failed; see $LOGS/format.log"
}

# The pid in a pid file, if that process is still running.
pid_in() {
  [ -f "$1" ] || return 1
  local pid; pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

running_pid() { pid_in "$PIDFILE"; }

# SIGTERM, up to $3 seconds for the broker to hand over its leaderships and exit, then SIGKILL.
terminate() {
  local pid=$1 pidfile=$2 seconds=$3
  kill "$pid"
  for _ in $(seq 1 $((seconds * 2))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pidfile"
}

# SIGKILL, as a crash would, and wait until the process is gone.
kill_now() {
  local pid=$1 pidfile=$2
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pidfile"
}

wait_ready() {
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  # The port opens before the broker has joined its own quorum; the marker line says it can serve.
  until port_open "$PORT" && grep -q 'Kafka Server started\|KafkaRaftServer.*started\|\[KafkaRaftServer nodeId=1\] Kafka Server started' "$LOGS/server.log" 2>/dev/null; do
    running_pid >/dev/null || die "the broker exited while starting; last lines of $LOGS/server.log and $LOGS/stdout.log:
$(tail -n 20 "$LOGS/server.log" 2>/dev/null; tail -n 20 "$LOGS/stdout.log" 2>/dev/null)"
    [ $SECONDS -lt $deadline ] || die "the broker did not become ready in time; see $LOGS/server.log"
    sleep 0.5
  done
}

start() {
  if port_open "$PORT"; then say "a broker already answers on $HOST:$PORT; reusing it"; return; fi
  require_tools
  mkdir -p "$HOME_DIR"
  fetch_jars
  write_config
  format_storage
  : >"$LOGS/server.log"
  say "starting broker on $HOST:$PORT (data and logs in $HOME_DIR)"
  nohup bash -c "exec java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile='$HOME_DIR/log4j2.xml' -cp '$LIB/*' kafka.Kafka '$CONF'" \
    >"$LOGS/stdout.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
  say "broker ready on $HOST:$PORT"
}

stop() {
  local pid
  if pid=$(running_pid); then
    terminate "$pid" "$PIDFILE" 30
    say "broker stopped"
  else
    say "no broker started by this script is running"
  fi
}

kill_hard() {
  local pid
  pid=$(running_pid) || die "no broker started by this script is running"
  kill_now "$pid" "$PIDFILE"
  say "broker killed (SIGKILL)"
}

# ---- the three-broker cluster ---------------------------------------------------------------------
CLUSTER_HOME="${KAFKA_CLUSTER_HOME:-$ROOT/.local/kafka-cluster}"
CLUSTER_NODES=(1 2 3)
# 19192/19193 belong to the fault suite's private broker; the controllers sit a hundred higher.
cluster_port() { echo $((19091 + $1)); }
cluster_controller_port() { echo $((19291 + $1)); }
node_home() { echo "$CLUSTER_HOME/node$1"; }

cluster_write_config() {
  local node=$1 home voters="" n
  home=$(node_home "$node")
  for n in "${CLUSTER_NODES[@]}"; do voters+="${voters:+,}$n@$HOST:$(cluster_controller_port "$n")"; done
  mkdir -p "$home/data" "$home/logs"
  cat >"$home/server.properties" <<EOF
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=PLAINTEXT://$HOST:$(cluster_port "$node"),CONTROLLER://$HOST:$(cluster_controller_port "$node")
advertised.listeners=PLAINTEXT://$HOST:$(cluster_port "$node")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$home/data
num.partitions=3
# Every write lands on three brokers and is acknowledged once two have it: one broker can be lost
# without losing an acknowledged event or refusing writes.
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
unclean.leader.election.enable=false
# A broker that dies is fenced, and its partitions led by another, after 6 s without a heartbeat
# rather than the default 9 s: that is most of the pause a SIGKILLed leader causes.
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1500
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.ms=-1
EOF
  write_log_config "$home" "$home/logs"
}

node_pid() { pid_in "$(node_home "$1")/broker.pid"; }

cluster_prepare() {
  require_tools
  mkdir -p "$HOME_DIR" "$CLUSTER_HOME"
  fetch_jars
  local node home cluster_id
  for node in "${CLUSTER_NODES[@]}"; do cluster_write_config "$node"; done
  [ -s "$CLUSTER_HOME/cluster.id" ] || java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$CLUSTER_HOME/cluster.id"
  cluster_id=$(cat "$CLUSTER_HOME/cluster.id")
  for node in "${CLUSTER_NODES[@]}"; do
    home=$(node_home "$node")
    [ -f "$home/data/meta.properties" ] && continue
    java -Xmx256m -Dlog4j2.configurationFile="$home/log4j2.xml" -cp "$LIB/*" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$home/server.properties" >"$home/logs/format.log" 2>&1 || die "formatting broker $node's storage failed; see $home/logs/format.log"
  done
}

cluster_launch() {
  local node=$1 home
  home=$(node_home "$node")
  node_pid "$node" >/dev/null && return
  port_open "$(cluster_port "$node")" && die "something else answers on $HOST:$(cluster_port "$node")"
  : >"$home/logs/server.log"
  nohup bash -c "exec java -Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile='$home/log4j2.xml' -cp '$LIB/*' kafka.Kafka '$home/server.properties'" \
    >"$home/logs/stdout.log" 2>&1 </dev/null &
  echo $! >"$home/broker.pid"
}

# Generous: on two cores shared with other work, a broker of the cluster has taken 100 s to restart.
cluster_wait_ready() {
  local node=$1 home deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-300}))
  home=$(node_home "$node")
  until port_open "$(cluster_port "$node")" && grep -q 'Kafka Server started' "$home/logs/server.log" 2>/dev/null; do
    node_pid "$node" >/dev/null || die "broker $node exited while starting; see $home/logs/server.log and $home/logs/stdout.log"
    [ $SECONDS -lt $deadline ] || die "broker $node did not become ready in time; see $home/logs/server.log"
    sleep 0.5
  done
}

cluster_brokers() {
  local list="" n
  for n in "${CLUSTER_NODES[@]}"; do list+="${list:+,}$HOST:$(cluster_port "$n")"; done
  echo "$list"
}

cluster_start() {
  cluster_prepare
  local node
  # All at once: no broker finishes starting until a majority of the quorum is up.
  for node in "${CLUSTER_NODES[@]}"; do cluster_launch "$node"; done
  for node in "${CLUSTER_NODES[@]}"; do cluster_wait_ready "$node"; done
  say "cluster ready: KAFKA_BROKERS=$(cluster_brokers) (data and logs in $CLUSTER_HOME)"
}

valid_node() {
  case "${1:-}" in 1 | 2 | 3) ;; *) die "name a broker of the cluster: 1, 2 or 3" ;; esac
}

cluster_start_one() {
  valid_node "$1"
  cluster_prepare
  cluster_launch "$1"
  cluster_wait_ready "$1"
  say "broker $1 ready on $HOST:$(cluster_port "$1")"
}

cluster_stop_one() {
  valid_node "$1"
  local pid
  if pid=$(node_pid "$1"); then
    terminate "$pid" "$(node_home "$1")/broker.pid" 60
    say "broker $1 stopped"
  else
    say "broker $1 is not running"
  fi
}

cluster_kill() {
  valid_node "$1"
  local pid
  pid=$(node_pid "$1") || die "broker $1 is not running"
  kill_now "$pid" "$(node_home "$1")/broker.pid"
  say "broker $1 killed (SIGKILL)"
}

cluster_stop() {
  local node waits=()
  # Together: the last broker stopping alone would wait for a quorum the others have already left.
  for node in "${CLUSTER_NODES[@]}"; do
    cluster_stop_one "$node" &
    waits+=($!)
  done
  for node in "${waits[@]}"; do wait "$node" || true; done
}

cluster_status() {
  local node up=0
  for node in "${CLUSTER_NODES[@]}"; do
    if port_open "$(cluster_port "$node")"; then
      say "broker $node up on $HOST:$(cluster_port "$node")"
      up=$((up + 1))
    else
      say "broker $node down"
    fi
  done
  [ "$up" -eq ${#CLUSTER_NODES[@]} ] || exit 3
}

case "${1:-ensure}" in
  ensure|start) start ;;
  stop) stop ;;
  kill) kill_hard ;;
  status) if port_open "$PORT"; then say "up on $HOST:$PORT"; else say "down"; exit 3; fi ;;
  reset) stop; rm -rf "$DATA" "$LOGS"; say "data deleted" ;;
  cluster) cluster_start ;;
  cluster-stop) cluster_stop ;;
  cluster-status) cluster_status ;;
  cluster-kill) cluster_kill "${2:-}" ;;
  cluster-stop-one) cluster_stop_one "${2:-}" ;;
  cluster-start) cluster_start_one "${2:-}" ;;
  cluster-reset) cluster_stop; rm -rf "$CLUSTER_HOME"; say "cluster data deleted" ;;
  *) die "usage: $0 ensure|start|stop|kill|status|reset|cluster|cluster-stop|cluster-status|cluster-kill N|cluster-stop-one N|cluster-start N|cluster-reset" ;;
esac
