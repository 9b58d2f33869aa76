//! Typed ids for the lists of the site model. A `PostId` indexes
//! `site.posts` and nothing else, so a tag id can never be used as a post
//! id, and every id is given once the lists are in their final order.

/// Defines an id type that indexes `Vec<$item>`.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident => $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub struct $name(u32);

        impl $name {
            pub fn new(index: usize) -> $name {
                $name(u32::try_from(index).expect("fewer than 2^32 items"))
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The ids of a list of `len` items, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = $name> + ExactSizeIterator + Clone {
                (0..len).map($name::new)
            }
        }

        impl std::ops::Index<$name> for Vec<$item> {
            type Output = $item;

            fn index(&self, id: $name) -> &$item {
                &self[id.index()]
            }
        }

        impl std::ops::IndexMut<$name> for Vec<$item> {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.index()]
            }
        }
    };
}

typed_id!(
    /// A post, by its place in `site.posts` (newest first).
    PostId => super::Post
);
typed_id!(
    /// A standalone page, by its place in `site.pages`.
    PageId => super::Page
);
typed_id!(
    /// A tag, by its place in `site.tags` (by name).
    TagId => super::Tag
);
typed_id!(
    /// An event, by its place in `site.events` (newest first, undated last).
    EventId => super::Event
);
typed_id!(
    /// An author, by its place in `site.authors` (by name).
    AuthorId => super::Author
);
typed_id!(
    /// A redirect page, by its place in `site.aliases`.
    AliasId => super::Alias
);

typed_id!(
    /// A session, by its place in `site.sessions` (by event, then time).
    SessionId => super::SiteSession
);
typed_id!(
    /// A speaker, by its place in `site.speakers` (by name).
    SpeakerId => super::Speaker
);
