using System.Data.Common;

namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// Optuna's relational schema at alembic revision v3.0.0.d, the one Optuna 3.1 creates and reads.
/// The statements are written the way SQLAlchemy prints them, so a SQLite file made here holds the
/// very same CREATE statements as one made by <c>optuna.create_study</c>; the placeholders in
/// braces are the column types on which SQLite and PostgreSQL differ.
/// </summary>
internal static class OptunaSchema
{
    public const string AlembicRevision = "v3.0.0.d";

    // Optuna froze version_info at schema version 12 when it moved to alembic.
    private const int FrozenSchemaVersion = 12;
    private const string SchemaLibraryVersion = "3.1.0";

    /// <summary>The enum types of the schema with their labels, in Optuna's order.</summary>
    public static readonly IReadOnlyList<(string Name, string[] Labels)> Enums =
    [
        ("studydirection", ["NOT_SET", "MINIMIZE", "MAXIMIZE"]),
        ("trialstate", ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"]),
        ("trialintermediatevaluetype", ["FINITE", "INF_POS", "INF_NEG", "NAN"]),
        ("trialvaluetype", ["FINITE", "INF_POS", "INF_NEG"]),
    ];

    private static readonly string[] Tables =
    [
        "CREATE TABLE studies (\n\tstudy_id {id}, \n\tstudy_name VARCHAR(512) NOT NULL, \n\tPRIMARY KEY (study_id)\n)",
        "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
        "CREATE TABLE version_info (\n\tversion_info_id INTEGER NOT NULL, \n\tschema_version INTEGER, \n\tlibrary_version VARCHAR(256), \n\tPRIMARY KEY (version_info_id), \n\tCHECK (version_info_id=1)\n)",
        "CREATE TABLE study_directions (\n\tstudy_direction_id {id}, \n\tdirection {studydirection} NOT NULL, \n\tstudy_id INTEGER NOT NULL, \n\tobjective INTEGER NOT NULL, \n\tPRIMARY KEY (study_direction_id), \n\tUNIQUE (study_id, objective), \n\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
        "CREATE TABLE study_user_attributes (\n\tstudy_user_attribute_id {id}, \n\tstudy_id INTEGER, \n\t{key} VARCHAR(512), \n\tvalue_json TEXT, \n\tPRIMARY KEY (study_user_attribute_id), \n\tUNIQUE (study_id, {key}), \n\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
        "CREATE TABLE study_system_attributes (\n\tstudy_system_attribute_id {id}, \n\tstudy_id INTEGER, \n\t{key} VARCHAR(512), \n\tvalue_json TEXT, \n\tPRIMARY KEY (study_system_attribute_id), \n\tUNIQUE (study_id, {key}), \n\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
        "CREATE TABLE trials (\n\ttrial_id {id}, \n\tnumber INTEGER, \n\tstudy_id INTEGER, \n\tstate {trialstate} NOT NULL, \n\tdatetime_start {datetime}, \n\tdatetime_complete {datetime}, \n\tPRIMARY KEY (trial_id), \n\tFOREIGN KEY(study_id) REFERENCES studies (study_id)\n)",
        "CREATE TABLE trial_user_attributes (\n\ttrial_user_attribute_id {id}, \n\ttrial_id INTEGER, \n\t{key} VARCHAR(512), \n\tvalue_json TEXT, \n\tPRIMARY KEY (trial_user_attribute_id), \n\tUNIQUE (trial_id, {key}), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
        "CREATE TABLE trial_system_attributes (\n\ttrial_system_attribute_id {id}, \n\ttrial_id INTEGER, \n\t{key} VARCHAR(512), \n\tvalue_json TEXT, \n\tPRIMARY KEY (trial_system_attribute_id), \n\tUNIQUE (trial_id, {key}), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
        "CREATE TABLE trial_params (\n\tparam_id {id}, \n\ttrial_id INTEGER, \n\tparam_name VARCHAR(512), \n\tparam_value {float}, \n\tdistribution_json TEXT, \n\tPRIMARY KEY (param_id), \n\tUNIQUE (trial_id, param_name), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
        "CREATE TABLE trial_values (\n\ttrial_value_id {id}, \n\ttrial_id INTEGER NOT NULL, \n\tobjective INTEGER NOT NULL, \n\tvalue {float}, \n\tvalue_type {trialvaluetype} NOT NULL, \n\tPRIMARY KEY (trial_value_id), \n\tUNIQUE (trial_id, objective), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
        "CREATE TABLE trial_intermediate_values (\n\ttrial_intermediate_value_id {id}, \n\ttrial_id INTEGER NOT NULL, \n\tstep INTEGER NOT NULL, \n\tintermediate_value {float}, \n\tintermediate_value_type {trialintermediatevaluetype} NOT NULL, \n\tPRIMARY KEY (trial_intermediate_value_id), \n\tUNIQUE (trial_id, step), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
        "CREATE TABLE trial_heartbeats (\n\ttrial_heartbeat_id {id}, \n\ttrial_id INTEGER NOT NULL, \n\theartbeat {datetime} NOT NULL, \n\tPRIMARY KEY (trial_heartbeat_id), \n\tUNIQUE (trial_id), \n\tFOREIGN KEY(trial_id) REFERENCES trials (trial_id)\n)",
        "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)",
    ];

    /// <summary>
    /// Indexes Optuna lacks: without them every per-study query scans the trials of all studies, so
    /// storage time would grow with the study. Optuna ignores indexes it does not know, and
    /// they are added to a database Optuna created too.
    /// </summary>
    private static readonly string[] SpartaIndexes =
    [
        "CREATE INDEX IF NOT EXISTS ix_sparta_trials_study_trial ON trials (study_id, trial_id)",
        "CREATE INDEX IF NOT EXISTS ix_sparta_trials_study_state ON trials (study_id, state)",
        "CREATE INDEX IF NOT EXISTS ix_sparta_trial_system_attributes_key ON trial_system_attributes (\"key\")",
    ];

    /// <summary>The statements that create the schema on a database that has none.</summary>
    public static IEnumerable<string> CreateStatements(SqlDialect dialect)
    {
        foreach (var (name, labels) in Enums)
            if (dialect.CreateEnumType(name, labels) is string createType) yield return createType;
        foreach (string table in Tables)
        {
            string sql = table
                .Replace("{id}", dialect.SerialPrimaryKeyType)
                .Replace("{key}", dialect.KeyColumn)
                .Replace("{float}", dialect.DoubleType)
                .Replace("{datetime}", dialect.DateTimeType);
            foreach (var (name, labels) in Enums) sql = sql.Replace("{" + name + "}", dialect.EnumColumnType(name, labels));
            yield return sql;
        }
        yield return $"INSERT INTO version_info (version_info_id, schema_version, library_version) VALUES (1, {FrozenSchemaVersion}, '{SchemaLibraryVersion}')";
        yield return $"INSERT INTO alembic_version (version_num) VALUES ('{AlembicRevision}')";
    }

    /// <summary>
    /// Creates the schema unless it exists, then checks its revision. Runs in one write transaction
    /// that the dialect serializes across processes, so workers opening a new database at the
    /// same moment create it once.
    /// </summary>
    public static void Ensure(DbConnection connection, SqlDialect dialect)
    {
        using var transaction = dialect.BeginSchemaTransaction(connection);
        if (!dialect.TableExists(connection, transaction, "alembic_version"))
            foreach (string sql in CreateStatements(dialect)) Execute(connection, transaction, sql);
        CheckRevision(connection, transaction, dialect);
        foreach (string sql in SpartaIndexes) Execute(connection, transaction, sql);
        transaction.Commit();
    }

    /// <summary>Checks, without writing, that the database holds Optuna's schema at the revision Sparta reads.</summary>
    public static void Check(DbConnection connection, SqlDialect dialect)
    {
        // No transaction: SQLite's default one takes the write lock, which a read-only file refuses.
        if (!dialect.TableExists(connection, null, "alembic_version"))
            throw new NoStudiesException($"storage {dialect.MaskedUrl}: holds no studies (no Optuna schema in it)");
        CheckRevision(connection, null, dialect);
    }

    /// <summary>
    /// Revisions newer Optuna versions migrate a database to, which Sparta reads and writes as it
    /// is: v3.2.0.a only adds an index on trials.study_id; v3.4.0.a adds
    /// trial_intermediate_values.intermediate_value_index, which defaults to 0 and which Sparta does not use.
    /// </summary>
    public static readonly IReadOnlyList<string> LaterRevisions = ["v3.2.0.a", "v3.4.0.a"];

    private static void CheckRevision(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
    {
        string? revision = Scalar(connection, transaction, "SELECT version_num FROM alembic_version") as string;
        if (revision == AlembicRevision || LaterRevisions.Contains(revision)) return;
        string library = dialect.TableExists(connection, transaction, "version_info")
            && Scalar(connection, transaction, "SELECT library_version FROM version_info") is string v ? $", created by Optuna {v}" : "";
        throw new InvalidOperationException(
            $"storage {dialect.MaskedUrl}: schema revision '{revision ?? "none"}'{library}; Sparta reads Optuna 3.1's '{AlembicRevision}' " +
            $"and the later {string.Join(", ", LaterRevisions.Select(r => $"'{r}'"))}");
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
