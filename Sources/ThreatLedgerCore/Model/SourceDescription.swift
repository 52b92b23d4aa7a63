/// What an article says about itself (`schemas/source-registered.v1.schema.json`, without the text):
/// headline, author, outlet, URL, dateline, section and language as written, its publication date as
/// coded, and the file it was read from.
public struct SourceDescription: Sendable, Hashable {
    public var sourceID: String
    public var textSHA256: String
    public var title: String?
    public var author: String?
    public var outlet: String?
    public var url: String?
    public var dateline: String?
    public var section: String?
    public var language: String
    public var published: CodedDate
    public var fileName: String?
    public var notes: String?
    /// The conflict-dataset row the source was imported from; nil for an article.
    public var dataset: DatasetRow?

    public init(
        sourceID: String, textSHA256: String, title: String?, author: String?, outlet: String?, url: String?, dateline: String?,
        section: String?, language: String, published: CodedDate, fileName: String? = nil, notes: String? = nil,
        dataset: DatasetRow? = nil
    ) {
        self.sourceID = sourceID
        self.textSHA256 = textSHA256
        self.title = title
        self.author = author
        self.outlet = outlet
        self.url = url
        self.dateline = dateline
        self.section = section
        self.language = language
        self.published = published
        self.fileName = fileName
        self.notes = notes
        self.dataset = dataset
    }

    /// Decodes a `SourceRegistered` payload's description (its `text` is not read here).
    public init(json: JSONValue?, path: String = "payload") throws(ModelDecodingError) {
        let reader = try ModelReader(json, path: path)
        self.init(
            sourceID: try reader.string("source_id"), textSHA256: try reader.string("text_sha256"), title: try reader.optionalString("title"),
            author: try reader.optionalString("author"), outlet: try reader.optionalString("outlet"), url: try reader.optionalString("url"),
            dateline: try reader.optionalString("dateline"), section: try reader.optionalString("section"),
            language: try reader.string("language"), published: try CodedDate(json: reader.object["published"], path: "\(path).published"),
            fileName: try reader.optionalString("file_name"), notes: try reader.optionalString("notes"),
            dataset: try reader.optional("dataset_row", DatasetRow.init(json:path:)))
    }
}
