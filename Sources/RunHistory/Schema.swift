import GRDB

/// The schema, as GRDB migrations. A migration, once released, never changes: later schema changes are new
/// migrations appended here that only add (tables, nullable or defaulted columns, indexes), so an older
/// `secagg` still reads a newer file and a newer one upgrades an older file when it opens it.
/// `Specs/run-history.md` shows the same SQL.
enum Schema {
    /// Identifiers of the migrations this build knows, oldest first.
    static let migrationIDs = ["v1-runs-rounds-admission-metrics-checkpoints"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(migrationIDs[0]) { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
                        created_at TEXT NOT NULL,
                        config_json TEXT NOT NULL,
                        protection TEXT NOT NULL,
                        session TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
                        failure_reason TEXT,
                        total_rounds INTEGER NOT NULL CHECK (total_rounds >= 1),
                        total_seconds REAL
                    );
                    CREATE INDEX runs_status_config ON runs (status, config_json);
                    CREATE INDEX runs_created ON runs (created_at);

                    CREATE TABLE rounds (
                        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                        round INTEGER NOT NULL CHECK (round >= 1),
                        accuracy REAL,
                        loss REAL,
                        max_abs_error REAL,
                        error_bound REAL,
                        seconds_admission REAL NOT NULL,
                        seconds_train REAL NOT NULL,
                        seconds_protect REAL NOT NULL,
                        seconds_aggregate REAL NOT NULL,
                        bytes_upload INTEGER NOT NULL CHECK (bytes_upload >= 0),
                        bytes_download INTEGER NOT NULL CHECK (bytes_download >= 0),
                        clients_selected INTEGER NOT NULL CHECK (clients_selected >= 0),
                        clients_dropped INTEGER NOT NULL CHECK (clients_dropped >= 0),
                        PRIMARY KEY (run_id, round)
                    );

                    CREATE TABLE admission_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                        round INTEGER NOT NULL CHECK (round >= 1),
                        client_id TEXT NOT NULL,
                        admitted INTEGER NOT NULL CHECK (admitted IN (0, 1)),
                        reason TEXT,
                        at TEXT NOT NULL
                    );
                    CREATE INDEX admission_events_run ON admission_events (run_id, round);

                    CREATE TABLE metrics (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                        round INTEGER NOT NULL CHECK (round >= 0),
                        name TEXT NOT NULL CHECK (length(name) >= 1),
                        value REAL NOT NULL,
                        UNIQUE (run_id, round, name)
                    );

                    CREATE TABLE checkpoints (
                        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                        round INTEGER NOT NULL CHECK (round >= 0),
                        parameter_count INTEGER NOT NULL CHECK (parameter_count >= 1),
                        parameters BLOB NOT NULL CHECK (length(parameters) = 4 * parameter_count),
                        PRIMARY KEY (run_id, round)
                    );
                    """)
        }
        return migrator
    }
}
