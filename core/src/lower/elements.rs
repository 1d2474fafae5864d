//! One method per element of the schema: each groups its members and builds its model node.

use super::{field_name, meta, Fields, Item, Lowerer};
use crate::model::*;
use crate::schema::{
    self, access_control_translation as act, and, destination, encryption_configuration as enc,
    filter, metrics, minutes, not, or, replication_time as rtc, rule,
    source_selection_criteria as ssc, status_block, tag, Shape,
};

impl Lowerer {
    /// Lower a rule into `r` (a default rule).
    pub(super) fn rule(&mut self, m: Item<'_, '_>, r: &mut Rule) {
        r.meta = meta(m);
        let mut f = Fields::new(m, &schema::RULE);
        if !self.group(m, &mut f) {
            return;
        }
        r.id = self.string(&f, rule::ID);
        r.priority = self.int(&f, rule::PRIORITY);
        r.prefix = self.string(&f, rule::PREFIX);
        if let Some(fm) = self.pick(&f, rule::FILTER) {
            let len = self.enter(field_name(&f.shape.fields[rule::FILTER], self.json()));
            let filter = r.filter.insert(Filter::default());
            self.filter(fm, filter);
            self.leave(len);
        }
        r.status = self.string(&f, rule::STATUS);
        r.source_selection_criteria = self
            .child(&f, rule::SOURCE_SELECTION_CRITERIA, |l, m| {
                let mut g = Fields::new(m, &schema::SOURCE_SELECTION_CRITERIA);
                l.group(m, &mut g).then(|| SourceSelectionCriteria {
                    meta: meta(m),
                    sse_kms_encrypted_objects: l.child(
                        &g,
                        ssc::SSE_KMS_ENCRYPTED_OBJECTS,
                        |l, m| l.status_block(m, &schema::STATUS_BLOCK),
                    ),
                    replica_modifications: l.child(&g, ssc::REPLICA_MODIFICATIONS, |l, m| {
                        l.status_block(m, &schema::STATUS_BLOCK)
                    }),
                })
            })
            .flatten();
        r.existing_object_replication =
            self.child(&f, rule::EXISTING_OBJECT_REPLICATION, |l, m| {
                l.status_block(m, &schema::STATUS_BLOCK)
            });
        if let Some(dm) = self.pick(&f, rule::DESTINATION) {
            let len = self.enter(field_name(&f.shape.fields[rule::DESTINATION], self.json()));
            self.destination(dm, &mut r.destination);
            self.leave(len);
        }
        r.delete_marker_replication = self.child(&f, rule::DELETE_MARKER_REPLICATION, |l, m| {
            l.status_block(m, &schema::OPTIONAL_STATUS_BLOCK)
        });
        self.require(&f);
    }

    /// Lower a filter into `out` (a default filter).
    fn filter(&mut self, m: Item<'_, '_>, out: &mut Filter) {
        out.meta = meta(m);
        let mut f = Fields::new(m, &schema::FILTER);
        if self.group(m, &mut f) {
            out.prefix = self.string(&f, filter::PREFIX);
            out.tag = self.child(&f, filter::TAG, |l, m| l.tag(m));
            out.and = self.child(&f, filter::AND, |l, m| {
                let mut a = And {
                    meta: meta(m),
                    ..And::default()
                };
                let mut g = Fields::new(m, &schema::AND);
                if l.group(m, &mut g) {
                    a.prefix = l.string(&g, and::PREFIX);
                    a.tags = l.list(&g, and::TAGS, |l, m| l.tag(m));
                    a.not = l.child(&g, and::NOT, |l, m| l.not(m)).map(Box::new);
                }
                Box::new(a)
            });
            out.not = self.child(&f, filter::NOT, |l, m| l.not(m)).map(Box::new);
        }
    }

    fn not(&mut self, m: Item<'_, '_>) -> Not {
        let mut n = Not {
            meta: meta(m),
            ..Not::default()
        };
        let mut f = Fields::new(m, &schema::NOT);
        if self.group(m, &mut f) {
            n.prefix = self.string(&f, not::PREFIX);
            n.tag = self.child(&f, not::TAG, |l, m| l.tag(m));
            n.or = self.child(&f, not::OR, |l, m| {
                let mut o = Or {
                    meta: meta(m),
                    ..Or::default()
                };
                let mut g = Fields::new(m, &schema::OR);
                if l.group(m, &mut g) {
                    o.prefixes = l.list(&g, or::PREFIXES, |l, m| {
                        l.scalar_string(m).unwrap_or_else(|| Val {
                            value: Str::default(),
                            meta: meta(m),
                        })
                    });
                    o.tags = l.list(&g, or::TAGS, |l, m| l.tag(m));
                }
                o
            });
        }
        n
    }

    fn tag(&mut self, m: Item<'_, '_>) -> Tag {
        let mut t = Tag {
            meta: meta(m),
            ..Tag::default()
        };
        let mut f = Fields::new(m, &schema::TAG);
        if self.group(m, &mut f) {
            t.key = self.string(&f, tag::KEY);
            t.value = self.string(&f, tag::VALUE);
            self.require(&f);
        }
        t
    }

    fn status_block(&mut self, m: Item<'_, '_>, shape: &'static Shape) -> StatusBlock {
        let mut s = StatusBlock {
            meta: meta(m),
            status: None,
        };
        let mut f = Fields::new(m, shape);
        if self.group(m, &mut f) {
            // Both status shapes hold `Status` first.
            s.status = self.string(&f, status_block::STATUS);
            self.require(&f);
        }
        s
    }

    fn minutes(&mut self, m: Item<'_, '_>) -> Minutes {
        let mut out = Minutes {
            meta: meta(m),
            minutes: None,
        };
        let mut f = Fields::new(m, &schema::MINUTES);
        if self.group(m, &mut f) {
            out.minutes = self.int(&f, minutes::MINUTES);
        }
        out
    }

    /// Lower a destination into `slot` (left `None` when it is not an object).
    fn destination(&mut self, m: Item<'_, '_>, slot: &mut Option<Destination>) {
        let mut f = Fields::new(m, &schema::DESTINATION);
        if !self.group(m, &mut f) {
            return;
        }
        let d = slot.insert(Destination::default());
        d.meta = meta(m);
        d.bucket = self.string(&f, destination::BUCKET);
        d.account = self.string(&f, destination::ACCOUNT);
        d.storage_class = self.string(&f, destination::STORAGE_CLASS);
        d.access_control_translation =
            self.child(&f, destination::ACCESS_CONTROL_TRANSLATION, |l, m| {
                let mut a = AccessControlTranslation {
                    meta: meta(m),
                    owner: None,
                };
                let mut g = Fields::new(m, &schema::ACCESS_CONTROL_TRANSLATION);
                if l.group(m, &mut g) {
                    a.owner = l.string(&g, act::OWNER);
                    l.require(&g);
                }
                a
            });
        d.encryption_configuration =
            self.child(&f, destination::ENCRYPTION_CONFIGURATION, |l, m| {
                let mut e = EncryptionConfiguration {
                    meta: meta(m),
                    ..EncryptionConfiguration::default()
                };
                let mut g = Fields::new(m, &schema::ENCRYPTION_CONFIGURATION);
                if l.group(m, &mut g) {
                    e.replica_kms_key_id = l.string(&g, enc::REPLICA_KMS_KEY_ID);
                    e.use_source_multi_region_key =
                        l.child(&g, enc::USE_SOURCE_MULTI_REGION_KEY, |l, m| {
                            l.status_block(m, &schema::STATUS_BLOCK)
                        });
                }
                e
            });
        d.replication_time = self.child(&f, destination::REPLICATION_TIME, |l, m| {
            let mut r = ReplicationTime {
                meta: meta(m),
                ..ReplicationTime::default()
            };
            let mut g = Fields::new(m, &schema::REPLICATION_TIME);
            if l.group(m, &mut g) {
                r.status = l.string(&g, rtc::STATUS);
                r.time = l.child(&g, rtc::TIME, |l, m| l.minutes(m));
                l.require(&g);
            }
            r
        });
        d.metrics = self.child(&f, destination::METRICS, |l, m| {
            let mut r = Metrics {
                meta: meta(m),
                ..Metrics::default()
            };
            let mut g = Fields::new(m, &schema::METRICS);
            if l.group(m, &mut g) {
                r.status = l.string(&g, metrics::STATUS);
                r.event_threshold = l.child(&g, metrics::EVENT_THRESHOLD, |l, m| l.minutes(m));
                l.require(&g);
            }
            r
        });
        self.require(&f);
    }
}
